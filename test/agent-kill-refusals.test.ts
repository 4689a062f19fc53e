// A capability kill that names nothing of the agent fleet, and a queue policy a fleet cannot honour,
// refused by the real command before the lever (exit 2, the reason named), the fleet torn down.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'killdrill.js');
const dir = mkdtempSync(join(tmpdir(), 'kd-agent-refuse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (kill: string, preset: string) => `name: refuse
description: d
seed: 1
fleet: { preset: ${preset}, bots: 6, overrides: { pollIntervalS: 1 } }
load: { warmup: 3s, duration: 20s }
kill: { at: 3s, mode: freeze, ${kill} }
release: { after: 4s }
`;

function run(kill: string, preset = 'agents') {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, scenario(kill, preset));
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true' } });
  return { ...r, out, output: `${r.stdout}${r.stderr}` };
}

describe('agent kill refusals', () => {
  it('a capability kill naming no bot, tool or LLM of the fleet: exit 2 before the lever, listing what the fleet has', { timeout: 130_000 }, () => {
    const r = run('path: rest, scope: capability, target: place-ordr');
    expect(r.status, r.output).toBe(2);
    expect(r.output).toMatch(/killdrill: .*the kill \(capability:place-ordr\) matches no capability of this fleet: no bot has it and no agent worker has a tool or LLM of that name/);
    expect(r.output).toMatch(/the workers' tools and LLM: .*place-order/);
    // Nothing was pulled: the run's history has no lever, and the fleet it started is gone.
    const runDir = join(r.out, 'runs', readdirSync(join(r.out, 'runs'))[0]);
    const ops = readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(ops.some((o) => o.type === 'lever-issued')).toBe(false);
    expect(ops.some((o) => o.type === 'run-end')).toBe(true);
  });

  it('kill.queue on a preset without queued work, or on the crd path: refused at load (exit 2), nothing started', () => {
    const a = run('path: rest, scope: platform, queue: drain', 'alphaswarm');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/kill\.queue 'drain': preset alphaswarm has no queued work/);
    const c = run('path: crd, scope: tenant, target: acme, queue: discard');
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/the crd path cannot carry a queue policy/);
    for (const r of [a, c]) expect(() => readdirSync(join(r.out, 'runs'))).toThrow(); // no run directory: nothing started
  });
});
