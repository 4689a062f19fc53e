// The drill evidence of one run (RTS 6 validation report, kill_switch_drills section) and the
// merge of several runs — the paths of one drill — into one document. Every figure is the
// checkers' (checker-figures.ts). A document says what it proves: a kill switch only over cases
// without `detects`, every checker passed, on one target (docs/reports.md).
import { describeRunTarget, type RunView } from './run-view.ts';
import type { DrillEvidence, RunEvidence } from './evidence-schema.ts';

const stamp = (t: number | null | undefined) => (typeof t === 'number' && Number.isFinite(t) ? { epochMs: t, iso: new Date(t).toISOString() } : null);
const emptySignOff = () => ({ runBy: '', reviewedBy: '', approvedBy: '' });

/** What one run proves: a kill switch (a drill whose every checker passed), a detected bug (a reproduction that passed), or nothing. */
export function provesOf(outcome: string, detects: string[] | null, verdicts: Array<{ valid: boolean | 'unknown' }>): RunEvidence['proves'] {
  if (outcome !== 'passed') return 'nothing';
  if (detects && detects.length) return 'bug-detected';
  return verdicts.length > 0 && verdicts.every((v) => v.valid === true) ? 'kill-switch' : 'nothing';
}

/** load.k6 as the evidence shows it: what ran (a 2x-peak rate with the peak it doubled) and load-held's figures. */
function loadEvidence(view: RunView): RunEvidence['load'] {
  const st = view.loadStart;
  if (!st) return null;
  const v = view.verdicts.find((x) => x.checker === 'load-held');
  const d = (v?.details ?? {}) as { requestsPerS?: number | null; errorsPerS?: number | null; botEffectsPerS?: number | null };
  return {
    tool: 'k6',
    script: st.script,
    profile: { ...st.profile },
    fromPeak: st.fromPeak ? { factor: st.fromPeak.factor, peak: { brokerRequestsPerS: st.fromPeak.peak.brokerRequestsPerS, measured: st.fromPeak.peak.measured } } : null,
    requestsPerS: d.requestsPerS ?? null,
    errorsPerS: d.errorsPerS ?? null,
    botEffectsPerS: d.botEffectsPerS ?? null,
    held: v ? v.valid : null,
  };
}

export function buildEvidence(view: RunView): RunEvidence {
  const env = view.environment;
  const outcome = (['passed', 'failed', 'errored', 'interrupted'] as const).find((o) => o === view.outcome) ?? 'errored';
  const pf = view.figures.postFlip;
  const j = view.figures.journal;
  return {
    schema: 'killdrill/evidence@1',
    drillId: view.runId,
    runId: view.runId,
    date: new Date(view.startedAt).toISOString(),
    environment: env ? { hostname: env.hostname, node: env.node, platform: env.platform } : null,
    gitRevision: env?.gitRevision ?? null,
    scenario: { name: view.scenario, file: view.file, caseId: view.caseId, matrixValues: view.matrixValues, incident: view.incident },
    seed: view.seed,
    target: view.target,
    detects: view.detects,
    proves: provesOf(outcome, view.detects, view.verdicts),
    lever: {
      path: view.lever.path,
      scope: view.lever.scope,
      target: view.lever.target,
      mode: view.lever.mode,
      level: view.lever.level ?? null,
      issuedAt: stamp(view.lever.issuedAt),
      engagedAt: stamp(view.lever.engagedAt),
      releaseIssuedAt: stamp(view.lever.releaseIssuedAt),
      releasedAt: stamp(view.lever.releasedAt),
    },
    outcome,
    reason: view.reason,
    replay: view.replay,
    bots: { total: view.roster.length || view.perBot.length, inScope: view.inScope.size },
    timings: {
      timeToDrainingMs: view.stats.timeToDrainingMs,
      timeToStopMs: view.stats.timeToStopMs,
      perBot: view.perBot.map((b) => ({ slug: b.slug, host: b.host, daemon: b.daemon, fleet: b.fleet, class: b.class, inScope: b.inScope, timeToDrainingMs: b.timeToDrainingMs, timeToStopMs: b.timeToStopMs, restartMs: b.restartMs })),
    },
    postFlipEffects: {
      count: pf?.count ?? null,
      mode: pf?.mode ?? null,
      window: pf ? { from: stamp(pf.engagedAt), to: stamp(pf.windowEnd) } : null,
      listed: (pf?.effects ?? []).map((e) => ({ seq: e.seq, key: e.key, bot: e.bot, kind: e.kind, dispatchedAt: e.dispatchedAt, receivedAt: e.receivedAt, afterEngagedMs: e.dispatchedAt - pf!.engagedAt })),
      inFlightAtEngaged: pf?.inFlightAtEngaged ?? null,
      propagationTail: pf?.propagationTail ?? null,
    },
    journal: j
      ? {
          intents: j.intents,
          ledgerEffects: j.ledgerEffects,
          notLandedCount: j.notLandedCount,
          notLanded: j.notLanded.map((n) => ({ bot: n.bot, key: n.key, outcome: n.outcome ?? null })),
          landedWithoutIntentCount: j.withoutIntentCount,
          landedWithoutIntent: j.withoutIntent.map((w) => ({ seq: w.seq, key: w.key, bot: w.bot })),
          landedTwice: j.duplicates.map((d) => ({ key: d.key, times: d.times })),
        }
      : null,
    load: loadEvidence(view),
    figuresFrom: view.figures.from,
    verdicts: view.verdicts.map((v) => ({ checker: v.checker, valid: v.valid, reason: v.summary })),
    faults: view.faults.map((f) => ({ id: f.id, kind: f.kind, params: f.params ?? {}, injectedAt: stamp(f.injectedAt), healedAt: stamp(f.healedAt), healed: typeof f.healedAt === 'number' })),
    preflight: view.preflight,
    signOff: emptySignOff(),
  };
}

/** A target's identity: the same kind, preset, bot count, bugs, overrides and runtime. */
export function targetKey(t: RunEvidence['target']): string | null {
  if (!t) return null;
  if (t.kind === 'external') return JSON.stringify(t);
  const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ ...t, bugs: [...t.bugs].sort(), overrides: sorted(t.overrides) });
}

const describeTarget = (t: NonNullable<RunEvidence['target']>) => describeRunTarget(t);

/** A drill document covers one target: runs of different targets are refused (the CLI exits 2). */
export class MixedTargetsError extends Error {
  override name = 'MixedTargetsError';
}

function proofOf(runs: RunEvidence[]): { proven: boolean; proof: string } {
  const why: string[] = [];
  const reproductions = runs.filter((r) => r.detects && r.detects.length);
  if (reproductions.length) why.push(`${reproductions.length} run(s) are incident reproductions (${reproductions.map((r) => r.scenario.name).join(', ')}): a reproduction that passes detected a bug, it does not prove a kill switch`);
  const unproven = runs.filter((r) => !(r.detects && r.detects.length) && r.proves !== 'kill-switch');
  if (unproven.length) why.push(`${unproven.length} run(s) did not pass every checker (${unproven.map((r) => `${r.scenario.name}${r.scenario.caseId && r.scenario.caseId !== 'default' ? ` [${r.scenario.caseId}]` : ''}: ${r.outcome}`).join('; ')})`);
  const unknownTarget = runs.filter((r) => !r.target);
  if (unknownTarget.length) why.push(`${unknownTarget.length} run(s) do not record their target (${unknownTarget.map((r) => r.runId).join(', ')})`);
  if (why.length) return { proven: false, proof: `kill switch not proven: ${why.join('; ')}` };
  return { proven: true, proof: `kill switch proven on ${describeTarget(runs[0].target!)}: ${runs.length} case(s) without detects, every checker passed` };
}

/** What failed on a path: the checkers that failed (or were unknown), else the run's reason. */
export function findingWhat(r: Pick<RunEvidence, 'outcome' | 'reason' | 'verdicts'>): string {
  const failed = r.verdicts.filter((v) => v.valid === false);
  const unknown = r.verdicts.filter((v) => v.valid === 'unknown');
  // The checkers that failed, with why; then the ones left unknown, by name only.
  const parts = [...failed.map((v) => `${v.checker} failed: ${v.reason}`), ...(unknown.length ? [`unknown: ${unknown.map((v) => v.checker).join(', ')}`] : [])];
  if (r.outcome === 'failed' && parts.length) return parts.join('; ');
  return `${r.outcome}: ${(r.reason ?? 'no reason recorded').split('\n')[0].replace(/^killdrill: /, '')}`;
}

export function mergeEvidence(runs: RunEvidence[], drillId?: string): DrillEvidence {
  if (runs.length === 0) throw new Error('killdrill: no run to merge; give one or more run directories or result.json files');
  const byTarget = new Map<string, RunEvidence[]>();
  for (const r of runs) {
    const k = targetKey(r.target);
    if (k !== null) byTarget.set(k, [...(byTarget.get(k) ?? []), r]);
  }
  if (byTarget.size > 1) {
    const list = [...byTarget.values()].map((rs) => `${describeTarget(rs[0].target!)}: ${rs.map((r) => r.runId).join(', ')}`).join('; ');
    throw new MixedTargetsError(`killdrill: the runs drilled ${byTarget.size} different targets (${list}); a drill document covers one target: merge the runs of each target separately`);
  }
  const sorted = [...runs].sort((a, b) => a.date.localeCompare(b.date));
  const id = drillId ?? `drill-${sorted[0].date.slice(0, 10)}-${[...new Set(sorted.map((r) => r.lever.path || r.runId))].join('-')}`;
  const { proven, proof } = proofOf(sorted);
  return {
    schema: 'killdrill/drill-evidence@1',
    drillId: id,
    date: sorted[0].date,
    section: 'kill_switch_drills',
    gitRevisions: [...new Set(sorted.map((r) => r.gitRevision).filter((g): g is string => !!g))],
    outcome: sorted.every((r) => r.outcome === 'passed') ? 'passed' : 'failed',
    target: sorted.find((r) => r.target)?.target ?? null,
    killSwitchProven: proven,
    proof,
    summary: sorted.map((r) => ({
      runId: r.runId,
      path: r.lever.path,
      scope: r.lever.scope,
      mode: r.lever.mode,
      outcome: r.outcome,
      detects: r.detects,
      proves: r.proves,
      timeToDrainingMaxMs: r.timings.timeToDrainingMs.max,
      timeToStopP99Ms: r.timings.timeToStopMs.p99,
      timeToStopMaxMs: r.timings.timeToStopMs.max,
      loadRequestsPerS: r.load?.requestsPerS ?? null,
      postFlipEffects: r.postFlipEffects.count,
      replay: r.replay,
    })),
    // An interrupted run (Ctrl-C, a stop condition) was stopped by the operator, not failed by its path.
    findings: sorted.filter((r) => (r.outcome === 'failed' || r.outcome === 'errored') && !(r.detects && r.detects.length)).map((r) => ({ severity: 'P1' as const, runId: r.runId, path: r.lever.path, outcome: r.outcome, what: findingWhat(r) })),
    runs: sorted.map((r) => ({ ...r, drillId: id })),
    signOff: emptySignOff(),
  };
}
