// load.k6 with the real k6 (issue 15): k6 is stopped on abort (no k6 left running) and its load is in
// the history and the timeline; a k6 that died before the flip makes load-held unknown ("not drilled
// under load"), so the case fails; no k6 on the PATH is exit 3. scenarios/paths/rest-k6.yaml passing
// is test/scenarios.test.ts's; startK6 on its own (stop, thresholds, exit 99) is harness/load/run-k6.test.ts's.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { killdrill, readOps, runDirs, scenarioFile, until, type Op } from './faults-helpers.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const k6Pid = (ops: Op[]) => ops.find((o) => o.type === 'load-start')?.pid as number;
const loadHeld = (runDir: string) => {
  const verdicts = (JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as { verdicts: Array<{ checker: string; valid: unknown; summary: string }> }).verdicts;
  return verdicts.find((v) => v.checker === 'load-held');
};

const scenario = (name: string, release = '3s') => `name: ${name}
description: A short rest kill under k6 load.
seed: 1
fleet:
  preset: alphaswarm
  bots: 6
load:
  warmup: 7s
  duration: 90s
  k6: { script: broker-ui, rate: { constant: 40 }, thresholds: { http_req_failed: ['rate<0.01'] } }
kill: { at: 7s, path: rest, scope: platform, target: platform, mode: cancel }
release: { after: ${release} }
`;

describe('load.k6 with the real k6', () => {
  it('no k6 on the PATH: exit 3 with how to install it, before any fleet starts', { timeout: 60_000 }, async () => {
    const path = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'k6'))).join(delimiter);
    const { file, outDir } = scenarioFile('no-k6', scenario('no-k6'));
    const run = killdrill(['run', file, '--out', outDir], { ...process.env, PATH: path });
    expect(await run.code).toBe(3);
    const said = run.out() + run.err();
    expect(said).toMatch(/no k6 is on the PATH; install k6/);
    expect(said).toContain('../shared/bin');
    const ops = readOps(runDirs(outDir)[0]);
    expect(ops.some((o) => o.type === 'fleet-up' || o.type === 'load-start')).toBe(false);
  });

  it('SIGINT while k6 runs: the case is interrupted, k6 stopped and its end recorded; no k6 left running', { timeout: 180_000 }, async () => {
    const { file, outDir } = scenarioFile('k6-abort', scenario('k6-abort', '60s'));
    const run = killdrill(['run', file, '--out', outDir, '--observe-full']);
    const runDir = await until('the run directory', () => runDirs(outDir)[0], 60_000);
    await until('the kill engaged', () => readOps(runDir).some((o) => o.type === 'lever-engaged' && o.lever === 'kill'), 120_000);
    const pid = k6Pid(readOps(runDir));
    expect(alive(pid)).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.code).toBe(130);
    const ops = readOps(runDir);
    expect(ops.find((o) => o.type === 'load-end')).toMatchObject({ stoppedBy: 'harness' });
    expect(alive(pid)).toBe(false);
    expect(ops.filter((o) => o.type === 'load').length).toBeGreaterThan(5);
    for (const f of ['k6.json', 'k6-summary.json', 'k6-script.js']) expect(existsSync(join(runDir, f)), f).toBe(true);
    expect(readFileSync(join(runDir, 'timeline.html'), 'utf8')).toMatch(/class="row load".*k6 broker-ui/); // the timeline's load lane
  });

  it('k6 dies before the flip: load-held is unknown (not drilled under load) and the case fails', { timeout: 180_000 }, async () => {
    const { file, outDir } = scenarioFile('k6-dies', scenario('k6-dies'));
    const run = killdrill(['run', file, '--out', outDir]);
    const runDir = await until('the run directory', () => runDirs(outDir)[0], 60_000);
    await until('k6 sending', () => readOps(runDir).some((o) => o.type === 'load-running'), 120_000);
    process.kill(k6Pid(readOps(runDir)), 'SIGKILL');
    expect(await run.code).toBe(1);
    const v = loadHeld(runDir);
    expect(v?.valid, v?.summary).toBe('unknown');
    expect(v?.summary).toMatch(/not drilled under load: k6 ended .* before the flip .*exited by itself/);
    expect(readOps(runDir).find((o) => o.type === 'load-end')).toMatchObject({ stoppedBy: 'itself', signal: 'SIGKILL' });
  });
});
