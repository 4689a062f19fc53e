// One normalised view of a run for every report: result.json where the runner wrote it, the
// history (§9) for everything else and as the fallback of a run that crashed before result.json.
import type { EffectOp, FaultSummary, HistoryOp, JournalOp, LeverSummary, Percentiles, PerBot, PhaseOp, RosterBot, RunData, Verdict } from './run-types.ts';
import { classifyEffects, type EffectClasses } from './post-flip.ts';

export interface DaemonEvent {
  host: string;
  daemon: string;
  event: 'start' | 'exit' | string;
  pid: number | null;
  code?: number | null;
  signal?: string | null;
  at: number;
}

export interface RunView {
  runId: string;
  file: string;
  scenario: string;
  caseId: string;
  matrixValues: Record<string, unknown>;
  seed: number | null;
  outcome: string;
  reason: string | null;
  replay: string | null;
  incident: string | null;
  startedAt: number;
  endedAt: number;
  environment: { hostname: string; node: string; platform: string; gitRevision: string } | null;
  roster: RosterBot[];
  inScope: Set<string>;
  lever: LeverSummary;
  phases: Map<string, PhaseOp[]>;
  effects: EffectOp[];
  classes: EffectClasses;
  faults: FaultSummary[];
  daemons: DaemonEvent[];
  journal: JournalOp[];
  perBot: PerBot[];
  stats: { timeToDrainingMs: Percentiles; timeToStopMs: Percentiles };
  verdicts: Verdict[];
  /** The checker's post-flip count (result.json), or null if the run has no result. */
  checkerPostFlip: number | null;
}

const at = (op: HistoryOp): number => (typeof op.at === 'number' ? op.at : op.t);

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: null, p99: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { p50: rank(0.5), p99: rank(0.99), max: s[s.length - 1] };
}

function leverFromHistory(history: HistoryOp[]): LeverSummary {
  const first = (type: string, lever: string) => history.find((o) => o.type === type && o.lever === lever);
  const issued = first('lever-issued', 'kill');
  const t = (o: HistoryOp | undefined) => (o ? at(o) : null);
  return {
    path: String(issued?.path ?? ''),
    scope: String(issued?.scope ?? ''),
    target: String(issued?.target ?? ''),
    mode: String(issued?.mode ?? 'cancel'),
    ...(typeof issued?.level === 'number' ? { level: issued.level } : {}),
    issuedAt: t(issued),
    engagedAt: t(first('lever-engaged', 'kill')),
    releaseIssuedAt: t(first('lever-issued', 'release')),
    releasedAt: t(first('lever-engaged', 'release')),
  };
}

function faultsFromHistory(history: HistoryOp[]): FaultSummary[] {
  const byId = new Map<string, FaultSummary>();
  for (const op of history) {
    if (op.type !== 'fault-injected' && op.type !== 'fault-healed') continue;
    const id = String(op.id);
    const f = byId.get(id) ?? { id, kind: String(op.kind), params: (op.params as Record<string, unknown>) ?? {}, injectedAt: null, healedAt: null };
    if (op.type === 'fault-injected') f.injectedAt = at(op);
    else f.healedAt = at(op);
    byId.set(id, f);
  }
  return [...byId.values()];
}

/** Who a lever must stop, when no result.json says it (the runner's rule, harness/runner/in-scope.ts). */
function inScopeFromRoster(roster: RosterBot[], lever: LeverSummary): Set<string> {
  const pick = (f: (b: RosterBot) => boolean) => new Set(roster.filter(f).map((b) => b.slug));
  if (lever.path === 'broker-level') {
    const level = lever.level ?? 0;
    if (level === 1) return pick((b) => b.asset === 'DOGE-USD');
    if (level === 2) return pick((b) => (b.tags ?? []).includes('trading'));
    return level >= 3 ? pick((b) => !(b.tags ?? []).includes('watchdog')) : new Set();
  }
  if (lever.scope === 'platform') return pick(() => true);
  const field = lever.scope === 'bot' ? 'slug' : lever.scope;
  return pick((b) => (b as unknown as Record<string, unknown>)[field] === lever.target);
}

function firstAfter(list: PhaseOp[] | undefined, phase: string, from: number | null | undefined): number | null {
  if (!list || from === null || from === undefined) return null;
  const p = list.find((x) => x.phase === phase && x.at >= from);
  return p ? p.at - from : null;
}

export function buildView(run: RunData): RunView {
  const { history, result } = run;
  const start = history.find((o) => o.type === 'run-start');
  const rosterOp = history.find((o) => o.type === 'roster');
  const roster = ((rosterOp?.bots as RosterBot[] | undefined) ?? []).slice();
  const lever: LeverSummary = { ...leverFromHistory(history), ...(result?.lever ?? {}) };
  const inScope = result ? new Set(result.perBot.filter((b) => b.inScope).map((b) => b.slug)) : inScopeFromRoster(roster, lever);

  const phases = new Map<string, PhaseOp[]>();
  const effects: EffectOp[] = [];
  const daemons: DaemonEvent[] = [];
  const journal: JournalOp[] = [];
  for (const op of history) {
    if (op.type === 'phase') {
      const p = op as unknown as PhaseOp;
      const list = phases.get(p.slug) ?? [];
      list.push(p);
      phases.set(p.slug, list);
    } else if (op.type === 'effect') effects.push(op as unknown as EffectOp);
    else if (op.type === 'daemon') daemons.push({ ...(op as unknown as DaemonEvent), at: at(op) });
    else if (op.type === 'journal') journal.push(op as unknown as JournalOp);
  }
  for (const list of phases.values()) list.sort((a, b) => a.at - b.at);
  effects.sort((a, b) => a.dispatchedAt - b.dispatchedAt);

  const perBot: PerBot[] = result?.perBot ?? roster.map((b) => ({
    slug: b.slug, host: b.host, daemon: b.daemon, fleet: b.fleet, class: b.class, inScope: inScope.has(b.slug),
    timeToDrainingMs: inScope.has(b.slug) ? firstAfter(phases.get(b.slug), 'Draining', lever.issuedAt) : null,
    timeToStopMs: inScope.has(b.slug) ? firstAfter(phases.get(b.slug), 'Stopped', lever.issuedAt) : null,
    restartMs: inScope.has(b.slug) ? firstAfter(phases.get(b.slug), 'Running', lever.releaseIssuedAt) : null,
  }));
  const nums = (k: 'timeToDrainingMs' | 'timeToStopMs') => perBot.filter((b) => b.inScope && b[k] !== null).map((b) => b[k] as number);
  const stats = result?.stats ?? { timeToDrainingMs: percentiles(nums('timeToDrainingMs')), timeToStopMs: percentiles(nums('timeToStopMs')) };

  const end = [...history].reverse().find((o) => o.type === 'run-end');
  const file = result?.file ?? String(start?.file ?? start?.scenario ?? '');
  const incident = typeof start?.incident === 'string' ? start.incident : /(?:^|\/)incidents\/([^/]+?)(?:-regression)?\.ya?ml$/.exec(file)?.[1] ?? null;
  return {
    runId: result?.runId ?? String(start?.runId ?? run.dir.split('/').pop()),
    file,
    scenario: result?.scenario ?? String(start?.scenario ?? ''),
    caseId: result?.caseId ?? String(start?.case ?? ''),
    matrixValues: result?.matrixValues ?? {},
    seed: result?.seed ?? (typeof start?.seed === 'number' ? start.seed : null),
    outcome: result?.outcome ?? String(end?.outcome ?? 'errored'),
    reason: result?.reason ?? (typeof end?.reason === 'string' ? end.reason : result ? null : 'killdrill: the run left no result.json (it crashed before the checkers ran)'),
    replay: result?.replay ?? null,
    incident,
    startedAt: result?.startedAt ?? (history[0]?.t ?? 0),
    endedAt: result?.endedAt ?? (history[history.length - 1]?.t ?? 0),
    environment: result?.environment ?? null,
    roster,
    inScope,
    lever,
    phases,
    effects,
    classes: classifyEffects(effects, inScope, lever),
    faults: result?.faults ?? faultsFromHistory(history),
    daemons,
    journal,
    perBot,
    stats,
    verdicts: result?.verdicts ?? [],
    checkerPostFlip: result ? result.counts.postFlipViolations : null,
  };
}
