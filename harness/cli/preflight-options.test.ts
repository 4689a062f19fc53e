// `killdrill run --max-clock-offset`: parsed, handed to every case, refused when it is not a
// duration above 0; a dry run describes preflight (with that bound) and runs none of it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, type RunDeps } from './run-command.ts';
import { silentProgress } from '../runner/progress.ts';
import type { RunScenarioOptions } from '../runner/run-scenario.ts';

const SCENARIO = `name: t
description: d
fleet: { preset: alphaswarm }
load: { warmup: 3s, duration: 40s }
kill: { at: 3s, path: rest, scope: platform, mode: cancel }
release: { after: 6s }
`;

function fake() {
  const d = mkdtempSync(join(tmpdir(), 'kd-pfopt-'));
  writeFileSync(join(d, 'a.yaml'), SCENARIO);
  const out: string[] = [];
  const err: string[] = [];
  const seen: RunScenarioOptions[] = [];
  const deps: RunDeps = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    runtimeByName: () => ({ name: 'process', start: async () => { throw new Error('not used'); } }),
    runCase: async (_c, opts) => {
      seen.push(opts);
      return { outcome: 'passed', invalidInput: false, reasons: [], replay: 'npx killdrill run x', runDir: 'out/runs/r', result: {} as never };
    },
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
  };
  return { dir: d, deps, out, err, seen };
}

describe('killdrill run --max-clock-offset', () => {
  it('hands the bound to the case; without it the case gets none (preflight applies its default)', async () => {
    const t = fake();
    expect(await runMain([t.dir, '--max-clock-offset', '1.5s'], t.deps)).toBe(0);
    expect(t.seen[0].maxClockOffsetMs).toBe(1500);
    const u = fake();
    expect(await runMain([u.dir], u.deps)).toBe(0);
    expect(u.seen[0].maxClockOffsetMs).toBeUndefined();
  });
  it('refuses what is not a duration above 0 (exit 2, nothing run)', async () => {
    for (const bad of ['soon', '0ms', '250']) {
      const t = fake();
      expect(await runMain([t.dir, '--max-clock-offset', bad], t.deps)).toBe(2);
      expect(t.seen).toHaveLength(0);
      expect(t.err[0]).toBe(`killdrill: --max-clock-offset must be a duration above 0 such as 250ms or 1s, not '${bad}'`);
    }
  });
  it('a dry run describes preflight with the bound and runs nothing', async () => {
    const t = fake();
    expect(await runMain([t.dir, '--dry-run', '--max-clock-offset', '100ms'], t.deps)).toBe(0);
    expect(t.seen).toHaveLength(0);
    expect(t.out.find((l) => l.startsWith('  preflight'))).toMatch(/a dry run probes nothing.*clock within 100 ms of the harness's/);
  });
  it('--help lists it', async () => {
    const t = fake();
    expect(await runMain(['--help'], t.deps)).toBe(0);
    expect(t.out.join('\n')).toMatch(/--max-clock-offset DURATION/);
  });
});
