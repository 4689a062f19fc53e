// The drill evidence of one run (RTS 6 validation report, kill_switch_drills section) and the
// merge of several runs — the three paths of one drill — into one document.
import type { RunView } from './run-view.ts';
import type { DrillEvidence, RunEvidence } from './evidence-schema.ts';

const LIST_CAP = 5000;
const stamp = (t: number | null | undefined) => (typeof t === 'number' && Number.isFinite(t) ? { epochMs: t, iso: new Date(t).toISOString() } : null);
const emptySignOff = () => ({ runBy: '', reviewedBy: '', approvedBy: '' });

function journalDiff(view: RunView): RunEvidence['journal'] {
  const intentKeys = new Set(view.journal.filter((j) => j.intentAt !== null).map((j) => j.key));
  const seen = new Set<string>();
  const twice = new Set<string>();
  const withoutIntent: RunEvidence['journal']['landedWithoutIntent'] = [];
  for (const e of view.effects) {
    if (seen.has(e.key)) twice.add(e.key);
    seen.add(e.key);
    if (view.journal.length > 0 && !intentKeys.has(e.key) && withoutIntent.length < LIST_CAP) withoutIntent.push({ seq: e.seq, key: e.key, bot: e.bot });
  }
  const notLanded = view.journal
    .filter((j) => j.outcome !== 'landed')
    .slice(0, LIST_CAP)
    .map((j) => ({ bot: j.bot, key: j.key, kind: j.kind ?? '', outcome: j.outcome ?? null }));
  return {
    intended: view.journal.filter((j) => j.intentAt !== null).length,
    landed: view.journal.filter((j) => j.outcome === 'landed').length,
    ledgerEffects: view.effects.length,
    notLanded,
    landedWithoutIntent: withoutIntent,
    landedTwice: [...twice],
  };
}

export function buildEvidence(view: RunView): RunEvidence {
  const env = view.environment;
  const outcome = (['passed', 'failed', 'errored', 'interrupted'] as const).find((o) => o === view.outcome) ?? 'errored';
  const engagedAt = view.lever.engagedAt ?? 0;
  return {
    schema: 'killdrill/evidence@1',
    drillId: view.runId,
    runId: view.runId,
    date: new Date(view.startedAt).toISOString(),
    environment: env ? { hostname: env.hostname, node: env.node, platform: env.platform } : null,
    gitRevision: env?.gitRevision ?? null,
    scenario: { name: view.scenario, file: view.file, caseId: view.caseId, matrixValues: view.matrixValues, incident: view.incident },
    seed: view.seed,
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
      count: view.checkerPostFlip,
      listed: view.classes.postFlip.map((e) => ({ seq: e.seq, key: e.key, bot: e.bot, kind: e.kind, dispatchedAt: e.dispatchedAt, receivedAt: e.receivedAt, afterEngagedMs: e.dispatchedAt - engagedAt })),
      inFlightAtEngaged: view.classes.inFlightAtEngaged.length,
      propagationTail: view.classes.propagationTail.length,
    },
    journal: journalDiff(view),
    verdicts: view.verdicts.map((v) => ({ checker: v.checker, valid: v.valid, reason: v.summary })),
    faults: view.faults.map((f) => ({ id: f.id, kind: f.kind, params: f.params ?? {}, injectedAt: stamp(f.injectedAt), healedAt: stamp(f.healedAt), healed: typeof f.healedAt === 'number' })),
    signOff: emptySignOff(),
  };
}

export function mergeEvidence(runs: RunEvidence[], drillId?: string): DrillEvidence {
  if (runs.length === 0) throw new Error('killdrill: no run to merge; give one or more run directories or result.json files');
  const sorted = [...runs].sort((a, b) => a.date.localeCompare(b.date));
  const id = drillId ?? `drill-${sorted[0].date.slice(0, 10)}-${[...new Set(sorted.map((r) => r.lever.path || r.runId))].join('-')}`;
  return {
    schema: 'killdrill/drill-evidence@1',
    drillId: id,
    date: sorted[0].date,
    section: 'kill_switch_drills',
    gitRevisions: [...new Set(sorted.map((r) => r.gitRevision).filter((g): g is string => !!g))],
    outcome: sorted.every((r) => r.outcome === 'passed') ? 'passed' : 'failed',
    summary: sorted.map((r) => ({
      runId: r.runId,
      path: r.lever.path,
      scope: r.lever.scope,
      mode: r.lever.mode,
      outcome: r.outcome,
      timeToDrainingMaxMs: r.timings.timeToDrainingMs.max,
      timeToStopP99Ms: r.timings.timeToStopMs.p99,
      timeToStopMaxMs: r.timings.timeToStopMs.max,
      postFlipEffects: r.postFlipEffects.count ?? r.postFlipEffects.listed.length,
      replay: r.replay,
    })),
    runs: sorted.map((r) => ({ ...r, drillId: id })),
    signOff: emptySignOff(),
  };
}
