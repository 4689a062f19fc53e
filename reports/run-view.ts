// One normalised view of a run for every report: the history (§9) for what happened, result.json
// for the outcome, and every figure (in-scope bots, post-flip effects, percentiles, journal diff,
// the kill's mode) from the checkers' details (checker-figures.ts), never recomputed here.
import type { EffectOp, FaultSummary, HistoryOp, JournalOp, LeverSummary, Percentiles, PerBot, PhaseOp, RosterBot, RunData, Verdict } from './run-types.ts';
import { checkerFigures, figureVerdicts, type CheckerFigures } from './checker-figures.ts';
import { loadSeconds, type LoadSecond } from './load-seconds.ts';
import { agentTimeline, type AgentTimeline } from './agent-runs.ts';
import { breakerEvents, type BreakerEvent } from './breaker-events.ts';

/** A supervisor's start/exit of a daemon, or the daemon's own shutdown-gate record from its journal (shutdown-requested, drained, drain-timeout). */
export interface DaemonEvent {
  host: string;
  daemon: string;
  event: 'start' | 'exit' | 'shutdown-requested' | 'drained' | 'drain-timeout' | string;
  pid: number | null;
  code?: number | null;
  signal?: string | null;
  at: number;
  /** shutdown records: how long the drain waited, the keys a drain-timeout abandoned. */
  waitedMs?: number;
  /** 'gateway': the gateway's own shutdown gate (its row on the timeline), not a daemon's. */
  component?: string;
  abandoned?: string[];
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
  /** The checkers a reproduction must fail (result.json, else the history's run-start); null: not a reproduction. */
  detects: string[] | null;
  /** What was drilled: the run-start's fleet config; null when the history does not say. */
  target: RunTarget | null;
  startedAt: number;
  endedAt: number;
  environment: { hostname: string; node: string; platform: string; gitRevision: string } | null;
  roster: RosterBot[];
  /** The checkers' in-scope bots (empty when no checker said). */
  inScope: Set<string>;
  /** The lever; its mode is the one the post-flip-effects checker judged by (a halt level implies its own). */
  lever: LeverSummary;
  phases: Map<string, PhaseOp[]>;
  effects: EffectOp[];
  faults: FaultSummary[];
  daemons: DaemonEvent[];
  journal: JournalOp[];
  perBot: PerBot[];
  /** The time checkers' p50/p99/max (null when that checker gave none). */
  stats: { timeToDrainingMs: Percentiles; timeToStopMs: Percentiles };
  /** The run's verdicts (empty without result.json). */
  verdicts: Verdict[];
  /** Every figure the reports show, from the checkers' details. */
  figures: CheckerFigures;
  /** k6's load, one entry a second (load.k6; empty without it), and its script. */
  load: LoadSecond[];
  loadScript: string | null;
  /** The bots' circuit-breaker records (seed 003: tripped, reset, error), in time order; empty without any. */
  breakers: BreakerEvent[];
  /** The agent fleet's runs (calls, children) and queue depth, from its run journal; null without one. */
  agents: AgentTimeline | null;
  /** The history's `load-start` (its profile and, for `2x-peak`, the peak it multiplied); null without load.k6. */
  loadStart: { script: string; profile: Record<string, unknown>; fromPeak?: { factor: number; peak: { brokerRequestsPerS: number; measured: string } } } | null;
  /** The history's `preflight` op, as the evidence shows it; null when there is none. */
  preflight: PreflightSummary | null;
}

export interface PreflightSummary {
  ok: boolean;
  tookMs: number | null;
  problems: string[];
  clock: { offsetMs: number; rttMs: number; boundMs: number; samples: number } | null;
  maxClockOffsetMs: number | null;
  endpoints: Array<{ endpoint: string; url: string; ok: boolean; status: number | null; ms: number }>;
  cleared: Array<{ runId: string; what: string; how: string; ok: boolean }>;
}

/** The `preflight` op of a history (harness/runner/preflight.ts), in the evidence's shape. */
export function preflightFromHistory(history: HistoryOp[]): PreflightSummary | null {
  const op = history.find((o) => o.type === 'preflight') as Record<string, unknown> | undefined;
  if (!op) return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const arr = (v: unknown) => (Array.isArray(v) ? (v as Array<Record<string, unknown>>) : []);
  const c = op.clock as Record<string, unknown> | null | undefined;
  return {
    ok: op.ok === true,
    tookMs: num(op.tookMs),
    problems: arr(op.problems).map(String),
    clock: c && num(c.offsetMs) !== null ? { offsetMs: num(c.offsetMs)!, rttMs: num(c.rttMs) ?? 0, boundMs: num(c.boundMs) ?? 0, samples: num(c.samples) ?? 0 } : null,
    maxClockOffsetMs: num(op.maxClockOffsetMs),
    endpoints: arr(op.endpoints).map((e) => ({ endpoint: String(e.endpoint), url: String(e.url), ok: e.ok === true, status: num(e.status), ms: num(e.ms) ?? 0 })),
    cleared: arr(op.cleared).map((e) => ({ runId: String(e.runId), what: String(e.what), how: String(e.how), ok: e.ok === true })),
  };
}

export type RunTarget =
  | { kind: 'simulated'; preset: string; bots: number | null; bugs: string[]; overrides: Record<string, unknown>; runtime: string }
  | { kind: 'external'; name: string; environment: string };

/** One line naming a target, for the reports. */
export function describeRunTarget(t: RunTarget): string {
  if (t.kind === 'external') return `external ${t.name} (${t.environment})`;
  return `${t.kind} ${t.preset} (${t.bots ?? 'preset'} bots, bugs ${t.bugs.join('+') || 'none'}, runtime ${t.runtime}${Object.keys(t.overrides).length ? `, ${Object.entries(t.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}` : ''})`;
}

const at = (op: HistoryOp): number => (typeof op.at === 'number' ? op.at : op.t);
const NO_SPREAD: Percentiles = { p50: null, p99: null, max: null };

/** What a run drilled, from its run-start op: an external target (config.target), else the simulated fleet (plan.fleet, config.runtime). */
export function targetFromHistory(start: HistoryOp | undefined): RunTarget | null {
  const config = start?.config as Record<string, unknown> | undefined;
  const named = config?.target as { kind?: unknown; name?: unknown; environment?: unknown } | undefined;
  if (named?.kind === 'external') return typeof named.name === 'string' && typeof named.environment === 'string' ? { kind: 'external', name: named.name, environment: named.environment } : null;
  const fleet = (start?.plan as { fleet?: { preset?: unknown; bots?: unknown; bugs?: unknown; overrides?: unknown } } | undefined)?.fleet;
  if (!config || typeof config.preset !== 'string') return null;
  const { preset, bots, bugs, runtime, ...rest } = config;
  return {
    kind: 'simulated',
    preset,
    bots: typeof bots === 'number' ? bots : null,
    bugs: Array.isArray(bugs) ? [...(bugs as string[])].sort() : [],
    overrides: (fleet?.overrides && typeof fleet.overrides === 'object' ? fleet.overrides : rest) as Record<string, unknown>,
    runtime: typeof runtime === 'string' ? runtime : 'process',
  };
}

function leverFromHistory(history: HistoryOp[]): LeverSummary {
  // After a lever-fallback (kill.fallback) the kill is the fallback path's lever, the one issued after it.
  const from = history.findLastIndex((o) => o.type === 'lever-fallback') + 1;
  const first = (type: string, lever: string) => history.find((o, i) => o.type === type && o.lever === lever && (lever !== 'kill' || i >= from));
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

export function buildView(run: RunData): RunView {
  const { history, result } = run;
  const start = history.find((o) => o.type === 'run-start');
  const rosterOp = history.find((o) => o.type === 'roster');
  const roster = ((rosterOp?.bots as RosterBot[] | undefined) ?? []).slice();

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
    else if (op.type === 'shutdown') daemons.push(op as unknown as DaemonEvent); // the fleet's own time (the journal's `at`)
    else if (op.type === 'journal') journal.push(op as unknown as JournalOp);
  }
  for (const list of phases.values()) list.sort((a, b) => a.at - b.at);
  effects.sort((a, b) => a.dispatchedAt - b.dispatchedAt);

  const fv = figureVerdicts(history, result?.verdicts ?? null);
  const resultInScope = result?.perBot ? new Set(result.perBot.filter((b) => b.inScope).map((b) => b.slug)) : null;
  const figures = checkerFigures(fv.from, fv.verdicts, effects, resultInScope);
  const inScope = figures.inScope ?? new Set<string>();
  const fromHistory = leverFromHistory(history);
  const lever: LeverSummary = { ...fromHistory, ...(result?.lever ?? {}), ...(figures.postFlip ? { mode: figures.postFlip.mode } : {}) };

  const bots: Array<Omit<PerBot, 'inScope' | 'timeToDrainingMs' | 'timeToStopMs' | 'restartMs'>> = roster.length ? roster : result?.perBot ?? [];
  const t = (m: Record<string, number | null>, slug: string) => (typeof m[slug] === 'number' ? m[slug] : null);
  const perBot: PerBot[] = bots.map((b) => ({
    slug: b.slug, host: b.host, daemon: b.daemon, fleet: b.fleet, class: b.class, inScope: inScope.has(b.slug),
    timeToDrainingMs: t(figures.perBot.timeToDrainingMs, b.slug),
    timeToStopMs: t(figures.perBot.timeToStopMs, b.slug),
    restartMs: t(figures.perBot.restartMs, b.slug),
  }));
  const stats = { timeToDrainingMs: figures.timeToDrainingMs ?? NO_SPREAD, timeToStopMs: figures.timeToStopMs ?? NO_SPREAD };

  const end = [...history].reverse().find((o) => o.type === 'run-end');
  const file = result?.file ?? String(start?.file ?? start?.scenario ?? '');
  const incident = typeof start?.incident === 'string' ? start.incident : /(?:^|\/)incidents\/([^/]+?)(?:-regression)?\.ya?ml$/.exec(file)?.[1] ?? null;
  const detects = result ? result.detects ?? null : Array.isArray(start?.detects) ? (start.detects as string[]) : null;
  return {
    runId: result?.runId ?? String(start?.runId ?? run.dir.split('/').pop()),
    file,
    scenario: result?.scenario ?? String(start?.scenario ?? ''),
    caseId: result?.caseId ?? String(start?.case ?? ''),
    matrixValues: result?.matrixValues ?? {},
    seed: result?.seed ?? (typeof start?.seed === 'number' ? start.seed : null),
    outcome: result?.outcome ?? String(end?.outcome ?? 'errored'),
    reason: result?.reason ?? (typeof end?.reason === 'string' ? end.reason : result ? null : 'killdrill: the run left no result.json (it crashed before the checkers ran)'),
    replay: result?.replay ?? (typeof start?.replay === 'string' ? start.replay : null),
    incident,
    detects: detects && detects.length ? detects : null,
    target: targetFromHistory(start),
    startedAt: result?.startedAt ?? (history[0]?.t ?? 0),
    endedAt: result?.endedAt ?? (history[history.length - 1]?.t ?? 0),
    environment: result?.environment ?? null,
    roster,
    inScope,
    lever,
    phases,
    effects,
    faults: result?.faults ?? faultsFromHistory(history),
    daemons,
    journal,
    perBot,
    stats,
    verdicts: result?.verdicts ?? [],
    figures,
    load: loadSeconds(history),
    loadScript: (history.find((o) => o.type === 'load-start')?.script as string | undefined) ?? null,
    loadStart: (history.find((o) => o.type === 'load-start') as unknown as RunView['loadStart'] | undefined) ?? null,
    preflight: preflightFromHistory(history),
    agents: agentTimeline(history),
    breakers: breakerEvents(history),
  };
}
