// `run --observe-full` reaches the case runner (no early end); it takes no value.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, type RunDeps } from './run-command.ts';
import { silentProgress } from '../runner/progress.ts';
import type { RunScenarioOptions } from '../runner/run-scenario.ts';

const GOOD = `name: t
description: d
fleet: { preset: alphaswarm }
load: { warmup: 3s, duration: 40s }
kill: { at: 3s, path: rest, scope: platform, mode: cancel }
release: { after: 6s }
`;

function deps() {
  const seen: RunScenarioOptions[] = [];
  const err: string[] = [];
  const d: RunDeps = {
    io: { out: () => {}, err: (l) => err.push(l) },
    runtimeByName: () => ({ name: 'process', start: async () => { throw new Error('not used'); } }),
    runCase: async (c, opts) => {
      seen.push(opts);
      return { outcome: 'passed', invalidInput: false, reasons: [], replay: 'x', runDir: 'out/runs/r', result: {} as never };
    },
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
  };
  return { d, seen, err };
}

describe('killdrill run --observe-full', () => {
  it('is passed to the case runner only when given', async () => {
    const d0 = mkdtempSync(join(tmpdir(), 'kd-full-'));
    writeFileSync(join(d0, 'a.yaml'), GOOD);
    const on = deps();
    expect(await runMain([d0, '--observe-full'], on.d)).toBe(0);
    expect(on.seen[0].observeFull).toBe(true);
    const off = deps();
    expect(await runMain([d0], off.d)).toBe(0);
    expect(off.seen[0].observeFull).toBeUndefined();
    const bad = deps();
    expect(await runMain([d0, '--observe-full=yes'], bad.d)).toBe(2);
    expect(bad.err[0]).toMatch(/option '--observe-full' takes no value/);
  });
});
