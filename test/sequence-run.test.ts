// `killdrill run` of a sequence scenario, its case runner replaced by a fake whose legs are fixture
// runs: each leg is printed as its own case, a failed leg is a `P1 finding:` line naming its path
// and the drill goes on with the next leg (exit 1); an interrupted leg ends the sequence; the
// fleet is started by the first leg only, kept by every leg's stop(), and stopped after the last;
// one merged evidence document (it validates) and one drill timeline are written.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, type RunDeps } from '../harness/cli/run-command.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import type { CaseOutcome } from '../harness/runner/run-scenario.ts';
import { drillEvidenceSchema } from '../reports/index.ts';
import { writeFixtureRun } from './reports-fixture.ts';

const SCENARIO = `name: drill
description: d
fleet: { preset: alphaswarm }
load: { warmup: 2s, duration: 40s }
kill: { at: 2s, path: crd, scope: platform, mode: cancel }
release: { after: 3s }
sequence:
  - path: crd
  - path: rest
  - path: redis
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(outcomeOf: (path: string) => CaseOutcome['outcome']) {
  const d = mkdtempSync(join(tmpdir(), 'kd-seq-'));
  dirs.push(d);
  writeFileSync(join(d, 's.yaml'), SCENARIO);
  const out: string[] = [];
  const err: string[] = [];
  const ran: Array<{ id: string; path: string; replay?: string; ranBefore?: boolean; runtime: string; stop?: unknown }> = [];
  const fleet = { starts: 0, stops: 0 };
  const deps: RunDeps = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    runtimeByName: (name) => ({
      name,
      start: async (req) => {
        fleet.starts++;
        return { endpoints: { runId: req.runId } as never, exited: () => null, stop: async () => void fleet.stops++ };
      },
    }),
    runCase: async (c, opts) => {
      const path = c.scenario.kill.path;
      ran.push({ id: c.id, path, ...(opts.replayCase !== undefined ? { replay: opts.replayCase } : {}), ...(opts.fleetRanBefore ? { ranBefore: true } : {}), runtime: opts.runtime.name, ...(opts.stop ? { stop: opts.stop } : {}) });
      // The first leg starts the fleet as runCase does, and stops it at its end: the sequence keeps it.
      if (ran.length === 1) await (await opts.runtime.start({ preset: 'alphaswarm', runId: 'r1', dataDir: d })).stop();
      const outcome = outcomeOf(path);
      const fx = writeFixtureRun({ dir: join(d, 'out', 'runs', `leg-${path}`), bots: 300, path, postFlip: outcome === 'failed' ? 3 : 0, runId: `leg-${path}`, seed: path === 'crd' ? 9 : 8 });
      const result = JSON.parse(readFileSync(join(fx.dir, 'result.json'), 'utf8'));
      return { outcome, invalidInput: false, reasons: outcome === 'passed' ? [] : ['killdrill: post-flip-effects: 3 effects after the flip'], replay: `npx killdrill run s.yaml --seed 1`, runDir: fx.dir, result: { ...result, outcome } };
    },
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
  };
  const run = (...extra: string[]) => runMain([join(d, 's.yaml'), '--out', join(d, 'out'), ...extra], deps);
  return { run, out, err, ran, fleet, dir: d };
}

describe('a sequence run', () => {
  it('every leg passes: exit 0, each leg its own case, the fleet started once and stopped after the last leg', async () => {
    const t = setup(() => 'passed');
    expect(await t.run(), t.err.join('\n')).toBe(0);
    expect(t.ran.map((r) => [r.id, r.path, r.replay])).toEqual([
      ['leg=1,kill.path=crd', 'crd', 'default'],
      ['leg=2,kill.path=rest', 'rest', 'default'],
      ['leg=3,kill.path=redis', 'redis', 'default'],
    ]);
    expect(t.ran.map((r) => r.ranBefore ?? false)).toEqual([false, true, true]);
    expect(t.fleet).toEqual({ starts: 1, stops: 1 });
    expect(t.out.filter((l) => /^PASS /.test(l))).toHaveLength(3);
    expect(t.out.filter((l) => l.startsWith('P1 finding:'))).toEqual([]);
    const drill = t.out.find((l) => l.startsWith('DRILL '))!;
    const evidence = /evidence \(kill_switch_drills\) (\S+),/.exec(drill)![1];
    const doc = drillEvidenceSchema.parse(JSON.parse(readFileSync(evidence, 'utf8')));
    expect(doc.summary.map((s) => s.path)).toEqual(['crd', 'rest', 'redis']);
    expect([doc.outcome, doc.killSwitchProven, doc.findings]).toEqual(['passed', true, []]);
    expect(existsSync(join(evidence, '..', 'timeline.html'))).toBe(true);
  });

  it('a failed leg is a P1 finding naming its path; the drill goes on with the next leg; exit 1', async () => {
    const t = setup((p) => (p === 'rest' ? 'failed' : 'passed'));
    expect(await t.run()).toBe(1);
    expect(t.ran.map((r) => r.path)).toEqual(['crd', 'rest', 'redis']);
    const p1 = t.out.filter((l) => l.startsWith('P1 finding:'));
    expect(p1).toHaveLength(1);
    expect(p1[0]).toMatch(/^P1 finding: drill leg 2 \(kill path rest, platform:platform\): post-flip-effects failed: /);
    expect(t.out.at(-1)).toBe('killdrill: 2 passed, 1 failed, 0 errored');
    const evidence = /evidence \(kill_switch_drills\) (\S+),/.exec(t.out.find((l) => l.startsWith('DRILL '))!)![1];
    const doc = drillEvidenceSchema.parse(JSON.parse(readFileSync(evidence, 'utf8')));
    expect([doc.outcome, doc.findings.map((f) => [f.path, f.what])]).toEqual(['failed', [['rest', expect.stringMatching(/^post-flip-effects failed: /)]]]);
    expect(t.fleet).toEqual({ starts: 1, stops: 1 });
  });

  it('each leg gets its own stop conditions (--max-case-duration counts from the leg\'s start)', async () => {
    const t = setup(() => 'passed');
    expect(await t.run('--max-case-duration', '10m')).toBe(0);
    const stops = t.ran.map((r) => r.stop);
    expect(stops.every((x) => x !== undefined)).toBe(true);
    expect(new Set(stops).size).toBe(3);
  });

  it('--junit: a testcase per leg, the failed leg a failure', async () => {
    const t = setup((p) => (p === 'redis' ? 'failed' : 'passed'));
    const junit = join(t.dir, 'junit.xml');
    expect(await t.run('--junit', junit)).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect([...xml.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1])).toEqual([expect.stringContaining('leg=1,kill.path=crd'), expect.stringContaining('leg=2,kill.path=rest'), expect.stringContaining('leg=3,kill.path=redis')]);
    expect((xml.match(/<failure /g) ?? []).length).toBe(1);
  });

  it('an interrupted leg (a stop condition) ends the sequence: no further leg, the fleet still stopped, exit 130', async () => {
    const t = setup((p) => (p === 'crd' ? 'interrupted' : 'passed'));
    expect(await t.run()).toBe(130);
    expect(t.ran.map((r) => r.path)).toEqual(['crd']);
    expect(t.out.at(-1)).toBe('killdrill: 0 passed, 0 failed, 0 errored, 1 interrupted, 2 not run');
    expect(t.out.filter((l) => l.startsWith('P1 finding:'))).toEqual([]); // stopped, not failed
    expect(t.fleet).toEqual({ starts: 1, stops: 1 });
  });
});
