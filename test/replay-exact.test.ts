// Replay is exact (issue 11 item 11): a failing case run end to end through the CLI on a real
// fleet prints its replay line; that line, run through a shell as a user would paste it, runs the
// same single case (a matrix case whose id has = and ,) with the same seed and gets the same
// verdict from every checker. The case: kill-state-cached-at-boot with its `detects` removed, so
// the bug it reproduces fails the case. Two runs of ~25 s.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'killdrill-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CASE = 'kill.scope=platform,kill.mode=cancel';
const verdictsOf = (out: string) => {
  const [id] = readdirSync(join(out, 'runs'));
  const r = JSON.parse(readFileSync(join(out, 'runs', id, 'result.json'), 'utf8')) as { caseId: string; seed: number; replay: string; verdicts: Array<{ checker: string; valid: unknown }> };
  return { ...r, byChecker: Object.fromEntries(r.verdicts.map((v) => [v.checker, v.valid])) };
};

describe('the replay line of a failing case', () => {
  it('reruns exactly that case and gets the same verdict per checker', { timeout: 240_000 }, () => {
    const source = readFileSync(join(ROOT, 'scenarios/incidents/kill-state-cached-at-boot.yaml'), 'utf8');
    expect(source).toMatch(/^detects: .*$/m);
    const file = join(tmp, 'cached at boot.yaml'); // a space in the path: the line must quote it
    writeFileSync(file, source.replace(/^detects: .*$/m, '') + 'matrix:\n  kill.scope: [platform]\n  kill.mode: [cancel, freeze]\n');
    const env = { ...process.env, CI: 'true' };

    const first = spawnSync(process.execPath, [join(ROOT, 'cli/main.ts'), 'run', file, '--case', CASE, '--seed', '2', '--out', join(tmp, 'out1')], { cwd: ROOT, encoding: 'utf8', env, timeout: 110_000 });
    expect(first.status, first.stdout + first.stderr).toBe(1);
    const line = /^ {2}replay: (.+)$/m.exec(first.stdout)?.[1];
    expect(line, first.stdout).toBeDefined();
    expect(line).toBe(`npx killdrill run '${file}' --case '${CASE}' --seed 2`);
    const a = verdictsOf(join(tmp, 'out1'));
    expect(a.replay).toBe(line);
    expect(Object.values(a.byChecker)).toContain(false);

    // Pasted into a shell in the same directory (only --out added, to keep the run out of out/).
    const second = spawnSync('sh', ['-c', `${line} --out '${join(tmp, 'out2')}'`], { cwd: ROOT, encoding: 'utf8', env, timeout: 110_000 });
    expect(second.status, second.stdout + second.stderr).toBe(1);
    expect(second.stdout).toMatch(/killdrill: 0 passed, 1 failed, 0 errored/); // one case of the two
    const b = verdictsOf(join(tmp, 'out2'));
    expect([b.caseId, b.seed, b.replay]).toEqual([CASE, 2, line]);
    expect(b.byChecker).toEqual(a.byChecker);
  });
});
