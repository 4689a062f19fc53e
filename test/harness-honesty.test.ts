// "The harness must not lie" (issue 3): the harness's figures checked against what really happened
// on a real fleet (sim up through the process runtime; no mocks, no retries).
//  1. a class with a fixed, known drain time: time-to-stop − time-to-draining = the drain the daemon
//     logged ± 5 ms (never below drainMs; a busy machine's timer makes it a few ms longer), and
//     time-to-draining / time-to-stop = (the bot's own Draining / Stopped `at` in its daemon's phase
//     log − issuedAt) ± 5 ms: the log each daemon writes to its data dir (contracts §6), a record the
//     harness did not produce (its figures come from the Redis phase stream, never from that log);
//  2. exactly N forbidden effects injected after the flip: post-flip-effects counts exactly N;
//  3. every bug of the catalog is reproduced alone by an incident scenario with a bug-free twin.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { BUGS } from '../fleet-sim/model.ts';
import { listScenarioFiles, loadScenarioFile } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { processRuntime } from '../harness/runtime/index.ts';
import { readHistory } from '../harness/history/index.ts';
import { getAuthed, readPhaseLogs, scenarioCase, sendToVenue, tappedRuntime, venueAddress, waitForOp, type PhaseLogEntry, type RosterBot } from './harness-honesty-helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const TOLERANCE_MS = 5; // the issue's explicit bar
const RUN_BOUND_MS = 240_000; // fleet start + a ~25 s timeline + stop, on a loaded 2-core machine
const out = () => mkdtempSync(join(tmpdir(), 'killdrill-honesty-'));
const run = (yaml: string, runtime: Parameters<typeof runScenarioCase>[1]['runtime']) =>
  runScenarioCase(scenarioCase(yaml), { outDir: out(), runtime, progress: silentProgress, signal: new AbortController().signal });

describe('harness honesty: time-to-stop of a class with a known drain time', () => {
  const DRAIN_MS = 1500;
  // Standard bots in cancel mode have no working orders: Draining lasts exactly drainMs.
  const yaml = `
name: honesty-known-drain
description: Standard bots drain for exactly ${DRAIN_MS} ms; REST platform halt (publishes, near-zero propagation).
seed: 1
fleet:
  preset: alphaswarm
  bots: 12
  overrides:
    classes: { hft: { tickMs: 1000 }, standard: { tickMs: 1000, drainMs: ${DRAIN_MS} }, paper: { tickMs: 2000 }, agent: { tickMs: 2000 } }
load: { warmup: 2s, duration: 30s }
kill: { at: 2s, path: rest, scope: platform, target: platform, mode: cancel }
release: { after: 5s }
`;

  it(`measured time-to-stop − time-to-draining = the logged drain (≥ ${DRAIN_MS} ms) ± ${TOLERANCE_MS} ms, and agrees with the daemons' own phase logs`, { timeout: RUN_BOUND_MS }, async () => {
    let log: PhaseLogEntry[] = [];
    let audit: Array<{ at: number; action: string }> = [];
    const runtime = tappedRuntime(processRuntime, {
      beforeStop: async (ep) => {
        log = readPhaseLogs(ep.dataDir);
        audit = (await getAuthed<{ entries: Array<{ at: number; action: string }> }>(`${ep.brokerUrl}/audit?after=0`, ep.token)).entries;
      },
    });
    const r = await run(yaml, runtime);
    expect(r.outcome, r.reasons.join('\n')).toBe('passed');
    const lever = r.result.lever!;
    // The lever's own times bracket the flips the broker recorded (its audit log, its clock = ours).
    const engages = audit.filter((a) => a.action === 'engage' && a.at < (lever.releaseIssuedAt ?? Infinity));
    process.stdout.write(`lever: broker engaged ${engages.map((a) => (a.at - lever.issuedAt).toFixed(2)).join(', ')} ms after issuedAt; engagedAt ${(lever.engagedAt! - lever.issuedAt).toFixed(2)} ms after\n`);
    expect(engages.length).toBe(6); // the six halt endpoints
    for (const a of engages) expect(a.at >= lever.issuedAt && a.at <= lever.engagedAt!, `broker engage at ${a.at} outside [issuedAt, engagedAt]`).toBe(true);
    const bots = r.result.perBot.filter((b) => b.inScope && b.class === 'standard');
    expect(bots.length).toBeGreaterThanOrEqual(2);
    const rows = bots.map((b) => {
      const own = (phase: string) => log.filter((e) => e.slug === b.slug && e.phase === phase && e.at >= lever.issuedAt).sort((x, y) => x.at - y.at)[0]?.at ?? NaN;
      // The drain as the daemon itself logged it: drainMs plus its timer's lateness on a busy machine.
      const ownDrainMs = own('Stopped') - own('Draining');
      const drainDelta = b.timeToStopMs! - b.timeToDrainingMs! - ownDrainMs;
      const truthDelta = b.timeToStopMs! - (own('Stopped') - lever.issuedAt);
      const truthDrainingDelta = b.timeToDrainingMs! - (own('Draining') - lever.issuedAt);
      return { slug: b.slug, timeToDrainingMs: b.timeToDrainingMs, timeToStopMs: b.timeToStopMs, ownDrainMs, drainDelta, truthDelta, truthDrainingDelta };
    });
    process.stdout.write(`known drain ${DRAIN_MS} ms, deltas (ms):\n${rows.map((x) => `  ${x.slug}: ttD ${x.timeToDrainingMs?.toFixed(2)} ttS ${x.timeToStopMs?.toFixed(2)} logged drain ${x.ownDrainMs.toFixed(3)} (ttS−ttD)−logged drain ${x.drainDelta.toFixed(3)} ttS−log ${x.truthDelta.toFixed(3)} ttD−log ${x.truthDrainingDelta.toFixed(3)}`).join('\n')}\n`);
    for (const x of rows) {
      expect(Math.abs(x.truthDelta), `${x.slug}: time-to-stop − (phase log Stopped at − issuedAt)`).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(Math.abs(x.truthDrainingDelta), `${x.slug}: time-to-draining − (phase log Draining at − issuedAt)`).toBeLessThanOrEqual(TOLERANCE_MS);
      // The drain the harness measured is the drain the daemon logged, ± 5 ms. The nominal drainMs is a floor,
      // not the truth: a timer on a loaded 2-core machine fires late (a CI run saw 6.15 ms), never early.
      expect(Math.abs(x.drainDelta), `${x.slug}: (time-to-stop − time-to-draining) − the daemon's logged drain`).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(x.ownDrainMs, `${x.slug}: the daemon's logged drain is at least drainMs`).toBeGreaterThanOrEqual(DRAIN_MS);
    }
  });
});

describe('harness honesty: exactly N post-flip effects are counted as N', () => {
  const N = 7; // forbidden orders of the in-scope bot after engagedAt: the only violations
  const N2 = 3; // cancels of the in-scope bot: allowed in cancel mode
  const OUT_OF_SCOPE = 4; // orders of a bot the kill does not cover
  const yaml = `
name: honesty-post-flip-count
description: One bot killed (REST, cancel) with the gateway check off; effects injected straight into the venue after the flip.
seed: 1
fleet:
  preset: alphaswarm
  bots: 6
  overrides: { gatewayCheck: false, classes: { hft: { tickMs: 500 }, standard: { tickMs: 1000 }, paper: { tickMs: 2000 }, agent: { tickMs: 2000 } } }
load: { warmup: 4s, duration: 40s }
kill: { at: 4s, path: rest, scope: bot, target: mm-aapl, mode: cancel }
# Long enough for out-of-scope-unaffected to judge the slowed out-of-scope bots' pace (together: none alone is fast enough).
release: { after: 12s }
`;

  it(`${N} injected orders + ${N2} cancels in scope + ${OUT_OF_SCOPE} out of scope → exactly ${N} violations, and the checker fails`, { timeout: RUN_BOUND_MS }, async () => {
    let replies: Awaited<ReturnType<typeof sendToVenue>> = [];
    const runtime = tappedRuntime(processRuntime, {
      whileUp: async (ep, runDir) => {
        await waitForOp(runDir, (op) => op.type === 'lever-engaged' && op.lever === 'kill', 180_000);
        const roster = await getAuthed<RosterBot[]>(`${ep.brokerUrl}/bots`, ep.token);
        const target = roster.find((b) => b.slug === 'mm-aapl')!;
        const other = roster.find((b) => b.slug !== 'mm-aapl')!;
        const effects = [
          ...Array.from({ length: N }, () => ({ bot: target, kind: 'order' as const })),
          ...Array.from({ length: N2 }, () => ({ bot: target, kind: 'cancel' as const })),
          ...Array.from({ length: OUT_OF_SCOPE }, () => ({ bot: other, kind: 'order' as const })),
        ];
        replies = await sendToVenue(await venueAddress(ep), effects);
      },
    });
    const r = await run(yaml, runtime);
    await runtime.background();
    expect(replies.length).toBe(N + N2 + OUT_OF_SCOPE);
    expect(replies.every((x) => x.ok)).toBe(true);
    // The history recorded every injected effect (the checker saw them all, in scope or not).
    const injected = readHistory(join(r.runDir, 'history.jsonl')).effects().filter((e) => e.key.startsWith('honesty-'));
    expect(injected.length).toBe(N + N2 + OUT_OF_SCOPE);
    const pf = r.result.verdicts.find((v) => v.checker === 'post-flip-effects')!;
    process.stdout.write(`post-flip-effects: ${pf.valid} — ${pf.summary}\n`);
    expect(pf.valid).toBe(false);
    expect(pf.details.violations).toBe(N);
    expect(pf.details.perBot).toEqual({ 'mm-aapl': N });
    const first = pf.details.first as Array<{ key: string; kind: string }>;
    expect(first.every((v) => v.key.startsWith('honesty-') && v.kind === 'order')).toBe(true);
    expect(r.result.counts.postFlipViolations).toBe(N);
    expect(r.outcome).toBe('failed');
  });

  it('the same run without injection: 0 violations, and it passes', { timeout: RUN_BOUND_MS }, async () => {
    const r = await run(yaml, processRuntime);
    const pf = r.result.verdicts.find((v) => v.checker === 'post-flip-effects')!;
    process.stdout.write(`post-flip-effects: ${pf.valid} — ${pf.summary}\n`);
    expect(r.result.counts.effects).toBeGreaterThan(0);
    expect(pf.valid).toBe(true);
    expect(pf.details.violations).toBe(0);
    expect(r.outcome, r.reasons.join('\n')).toBe('passed');
  });
});

describe('harness honesty: the bug catalog is covered by incident scenarios', () => {
  // The agent workers' bugs (agent-*) are reproduced in scenarios/agents/ (docs/agents.md "Bug catalog").
  const incidents = listScenarioFiles([join(ROOT, 'scenarios', 'incidents'), join(ROOT, 'scenarios', 'agents')]).map((f) => ({ file: f, s: loadScenarioFile(f).scenario }));
  const reproductions = incidents.filter((x) => (x.s.detects?.length ?? 0) > 0);

  for (const bug of BUGS) {
    it(`${bug}: reproduced on its own (detects non-empty), with a bug-free twin (same lever, same faults)`, () => {
      const withBug = reproductions.filter((x) => x.s.fleet.bugs.includes(bug));
      expect(withBug.map((x) => basename(x.file)), `no incident scenario switches ${bug} on with a non-empty detects`).not.toEqual([]);
      expect(withBug.filter((x) => x.s.fleet.bugs.length === 1).map((x) => basename(x.file)), `${bug} is only ever reproduced together with other bugs`).not.toEqual([]);
      for (const x of withBug) {
        // The twin: `<name>-regression.yaml`, or, for `<base>-<bug>.yaml`, `<base>.yaml`.
        const candidates = [x.file.replace(/\.yaml$/, '-regression.yaml'), ...x.s.fleet.bugs.filter((b) => x.file.endsWith(`-${b}.yaml`)).map((b) => x.file.replace(new RegExp(`-${b}\\.yaml$`), '.yaml'))];
        const twinFile = candidates.find((f) => existsSync(f));
        expect(twinFile, `${basename(x.file)} has no bug-free twin (${candidates.map((f) => basename(f)).join(' or ')})`).toBeDefined();
        const twin = loadScenarioFile(twinFile!).scenario;
        expect(twin.fleet.bugs, `${basename(twinFile!)} must run the bug-free fleet`).toEqual([]);
        expect(twin.detects ?? [], `${basename(twinFile!)} must pass every checker`).toEqual([]);
        const shape = (s: typeof twin) => ({ preset: s.fleet.preset, kill: s.kill, faults: s.faults.map((f) => [f.kind, f.at]) });
        expect(shape(twin), `${basename(twinFile!)} must pull the same lever under the same faults as ${basename(x.file)}`).toEqual(shape(x.s));
      }
    });
  }
});
