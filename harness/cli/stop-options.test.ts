// `killdrill run`'s stop-condition options: their parsing, and what runMain does with them
// (fleet replaced by a fake case runner, as in commands.test.ts).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStopOptions } from './stop-options.ts';
import { runMain, type RunDeps } from './run-command.ts';
import { silentProgress } from '../runner/progress.ts';
import type { CaseOutcome, RunScenarioOptions } from '../runner/run-scenario.ts';

const SCENARIO = `name: t
description: d
fleet: { preset: alphaswarm }
load: { warmup: 3s, duration: 40s }
kill: { at: 3s, path: rest, scope: platform, mode: cancel }
release: { after: 6s }
matrix:
  kill.mode: [cancel, flatten, freeze]
`;

function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'kd-stop-'));
  writeFileSync(join(d, 'a.yaml'), SCENARIO);
  return d;
}

function fake(outcomes: Array<CaseOutcome['outcome']>) {
  const out: string[] = [];
  const err: string[] = [];
  const seen: RunScenarioOptions[] = [];
  const deps: RunDeps = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    runtimeByName: () => ({ name: 'process', start: async () => { throw new Error('not used'); } }),
    runCase: async (_c, opts) => {
      seen.push(opts);
      const outcome = outcomes[seen.length - 1] ?? 'passed';
      const reasons = outcome === 'interrupted' ? ['killdrill: stop condition --max-case-duration 5s: the case ran 5.01 s, longer than its cap; raise the cap or shorten the scenario'] : [];
      return { outcome, invalidInput: false, reasons, replay: 'npx killdrill run x', runDir: 'out/runs/r', result: {} as never };
    },
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
  };
  return { deps, out, err, seen };
}

describe('parseStopOptions', () => {
  it('reads every stop option', () => {
    expect(parseStopOptions({ 'max-case-duration': '90s', 'stop-on-no-restart': true, guard: ['http://127.0.0.1:8080/health'], 'guard-redis-key': ['drill:stop'] })).toEqual({
      maxCaseDurationMs: 90_000,
      stopOnNoRestart: true,
      guardUrls: ['http://127.0.0.1:8080/health'],
      guardRedisKeys: ['drill:stop'],
    });
    expect(parseStopOptions({})).toEqual({});
  });

  it('refuses a bad duration, a guard that is not an http(s) URL, and an empty key, naming what to give', () => {
    expect(() => parseStopOptions({ 'max-case-duration': 'soon' })).toThrow("killdrill: --max-case-duration must be a duration above 0 such as 90s or 5m, not 'soon'");
    expect(() => parseStopOptions({ 'max-case-duration': '0s' })).toThrow(/above 0/);
    expect(() => parseStopOptions({ guard: ['redis://127.0.0.1:6379'] })).toThrow("killdrill: --guard needs an http:// or https:// URL, not 'redis://127.0.0.1:6379'; give the health endpoint that must answer 2xx");
    expect(() => parseStopOptions({ guard: ['health'] })).toThrow(/--guard needs an http/);
    expect(() => parseStopOptions({ 'guard-redis-key': [' '] })).toThrow(/--guard-redis-key needs a key name/);
  });
});

describe('killdrill run with stop conditions (fake case runner)', () => {
  it('hands each case its own stop conditions; a case a stop condition interrupted ends the run: exit 130, the rest not run', async () => {
    const t = fake(['passed', 'interrupted', 'passed']);
    expect(await runMain([file(), '--max-case-duration', '5s', '--stop-on-no-restart'], t.deps)).toBe(130);
    expect(t.seen).toHaveLength(2);
    expect(t.seen[0].stop).toBeDefined();
    expect(t.seen[0].stop).not.toBe(t.seen[1].stop); // each case counts its cap from its own start
    expect(t.seen[0].stop!.reason()).toBeNull();
    expect(t.seen[0].stopOnNoRestart).toBe(true);
    expect(t.out).toContain('  killdrill: stop condition --max-case-duration 5s: the case ran 5.01 s, longer than its cap; raise the cap or shorten the scenario');
    expect(t.err).toContain('killdrill: a stop condition interrupted a case; the 1 case(s) after it were not run');
    expect(t.out.at(-1)).toBe('killdrill: 1 passed, 0 failed, 0 errored, 1 interrupted, 1 not run');
  });

  it('without stop options a case gets none', async () => {
    const t = fake([]);
    expect(await runMain([file(), '--case', 'kill.mode=cancel'], t.deps)).toBe(0);
    expect(t.seen[0].stop).toBeUndefined();
    expect(t.seen[0].stopOnNoRestart).toBeUndefined();
  });

  it('exit 2 for a bad stop option, nothing run', async () => {
    const t = fake([]);
    expect(await runMain([file(), '--max-case-duration', 'forever'], t.deps)).toBe(2);
    expect(t.seen).toHaveLength(0);
    expect(t.err[0]).toMatch(/^killdrill: --max-case-duration must be a duration/);
  });

  it('--dry-run lists the stop conditions in each plan and runs nothing', async () => {
    const t = fake([]);
    expect(await runMain([file(), '--dry-run', '--case', 'kill.mode=freeze', '--max-case-duration', '2m', '--guard-redis-key', 'drill:stop'], t.deps)).toBe(0);
    expect(t.seen).toHaveLength(0);
    expect(t.out).toContain("  stop conditions: interrupt a case that runs longer than 2m; interrupt when the Redis key 'drill:stop' exists in the fleet's Redis (probed every 1 s)");
  });
});
