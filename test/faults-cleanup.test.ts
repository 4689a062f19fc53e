// Nothing is left behind: after a run that fails, is timed out (SIGTERM, as timeout(1) sends),
// gets SIGINT, or whose harness is SIGKILLed, no fault, proxy or fleet process of that run survives
// the next `killdrill run`. Processes are found by KILLDRILL_RUN_ID=<runId> in /proc/<pid>/environ.
// Faults are active when the harness is stopped: a SIGSTOPped daemon (process-pause), a cut link
// and a latency toxic (in the fleet's own proxy process), and — for the SIGINT case — Redis down.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { killdrill, noneLeft, readOps, runDirs, runIdOf, runPids, scenarioFile, sleep, until, type CliRun } from './faults-helpers.ts';

const scenario = (name: string, extra = '') => `name: ${name}
description: Faults that stay active until the run ends, then a REST kill.
seed: 1
fleet:
  preset: alphaswarm
  bots: 6
  overrides: { pollIntervalS: 1, gatewayCheck: false }
load: { warmup: 2s, duration: 60s }
faults:
  - { id: pause, at: 1s, kind: process-pause, params: { target: paper-a } }
  - { id: cut, at: 1s, kind: link-down, params: { link: bots-redis-poll.node-b } }
  - { id: slow, at: 1s, kind: link-latency, params: { link: gateway-venue, latencyMs: 50 } }
${extra}kill: { at: 12s, path: rest, scope: platform, target: platform, mode: cancel }
release: { after: 5s }
expect:
  time-to-stop: { budgetS: { hft: 5, standard: 5, paper: 5, agent: 5 } }
`;

/** Starts a run and waits until its history shows every fault of `ids` injected. Returns the run and its id. */
async function runUntilFaults(name: string, ids: string[], extra = ''): Promise<{ run: CliRun; runId: string; runDir: string; outDir: string }> {
  const { file, outDir } = scenarioFile(name, scenario(name, extra));
  const run = killdrill(['run', file, '--out', outDir]);
  const runDir = await until('the run directory', () => runDirs(outDir)[0], 60_000);
  await until(`faults ${ids.join(', ')} injected`, () => {
    const got = new Set(readOps(runDir).filter((o) => o.type === 'fault-injected').map((o) => o.id));
    return ids.every((i) => got.has(i));
  }, 90_000);
  return { run, runId: runIdOf(runDir), runDir, outDir };
}

describe('nothing of a run survives it', () => {
  it('SIGKILLed harness with its fleet stuck: the next run kills every process of that run id before its fleet starts; SIGINT on that next run heals and stops everything', { timeout: 300_000 }, async () => {
    const a = await runUntilFaults('cleanup-sigkill', ['pause', 'cut', 'slow']);
    expect(runPids(a.runId).length).toBeGreaterThan(5); // the fleet really is up: proxy, redis, supervisors, daemons
    // The hardest case: the harness is SIGKILLed while its `sim up` is stuck (SIGSTOPped here), so the fleet
    // cannot stop itself on stdin EOF and its children are not orphans (their owner is alive).
    const simUp = runPids(a.runId).find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes('up'))!;
    process.kill(simUp, 'SIGSTOP');
    a.run.child.kill('SIGKILL');
    expect(await a.run.code).toBe(null);
    await sleep(2000);
    expect(runPids(a.runId).length).toBeGreaterThan(5); // nothing cleaned it up by itself

    // The next run: its sim up reaps what the dead run's fleet did not stop itself.
    const b = await runUntilFaults('cleanup-next', ['pause', 'cut', 'slow', 'down'], '  - { id: down, at: 1s, kind: redis-down }\n');
    const fleetUp = readOps(b.runDir).some((o) => o.type === 'fleet-up');
    expect(fleetUp).toBe(true);
    expect(runPids(a.runId)).toEqual([]);
    expect(b.run.err()).toMatch(new RegExp(`killdrill: killed \\d+ leftover process\\(es\\) of dead run\\(s\\) .*${a.runId}`));

    // SIGINT with four faults active: each is healed (a fault-healed op, none failed), then the fleet stops.
    b.run.child.kill('SIGINT');
    expect(await b.run.code).toBe(130);
    expect(b.run.out()).toMatch(/^INTERRUPTED cleanup-next/m);
    const ops = readOps(b.runDir);
    const healed = ops.filter((o) => o.type === 'fault-healed');
    expect(healed.map((h) => h.id).sort()).toEqual(['cut', 'down', 'pause', 'slow']);
    for (const h of healed) expect(h.ok, JSON.stringify(h)).not.toBe(false);
    expect(ops.at(-1)?.type === 'run-end' || ops.some((o) => o.type === 'run-end' && o.outcome === 'interrupted')).toBe(true);
    expect(runPids(b.runId)).toEqual([]);
  });

  it('SIGKILLed harness, fleet not stuck: the fleet sees its stdin pipe close and stops itself, paused daemon included', { timeout: 200_000 }, async () => {
    const d = await runUntilFaults('cleanup-sigkill-plain', ['pause', 'cut', 'slow']);
    d.run.child.kill('SIGKILL');
    expect(await d.run.code).toBe(null);
    expect(await noneLeft(d.runId, 45_000)).toEqual([]);
  });

  it('timed out (SIGTERM mid-run, as timeout(1) sends): faults healed, fleet stopped, history closed, nothing of the run is left', { timeout: 200_000 }, async () => {
    const c = await runUntilFaults('cleanup-sigterm', ['pause', 'cut', 'slow']);
    c.run.child.kill('SIGTERM');
    expect(await c.run.code).toBe(130);
    expect(c.run.out()).toMatch(/^INTERRUPTED cleanup-sigterm/m);
    const ops = readOps(c.runDir);
    expect(ops.filter((o) => o.type === 'fault-healed' && o.ok !== false).map((o) => o.id).sort()).toEqual(['cut', 'pause', 'slow']);
    expect(ops.some((o) => o.type === 'run-end' && o.outcome === 'interrupted')).toBe(true);
    expect(runPids(c.runId)).toEqual([]);
  });

  it('a failed run: exit 1, faults healed, nothing of the run is left', { timeout: 200_000 }, async () => {
    // pubsub-only bots under a silent subscriber link never halt: time-to-draining and others fail.
    const extra = '  - { id: silent, at: 1s, kind: pubsub-drop, params: { form: silent } }\n';
    const { file, outDir } = scenarioFile('cleanup-failed', scenario('cleanup-failed', extra).replace('overrides:', 'bugs: [pubsub-only]\n  overrides:').replace('at: 12s', 'at: 3s'));
    const run = killdrill(['run', file, '--out', outDir]);
    expect(await run.code).toBe(1);
    expect(run.out()).toMatch(/^FAIL cleanup-failed/m);
    const [dir] = runDirs(outDir);
    const healed = readOps(dir).filter((o) => o.type === 'fault-healed');
    expect(healed.map((h) => h.id).sort()).toEqual(['cut', 'pause', 'silent', 'slow']);
    expect(runPids(runIdOf(dir))).toEqual([]);
  });
});
