// result.json (docs/contracts.md §11), built from the history and the verdicts: a pure function.
import type { History } from '../history/index.ts';
import { spread, type Spread, type Verdict } from '../checkers/index.ts';
import type { Outcome } from '../history/index.ts';
import { redactDeep } from '../history/redact.ts';

export interface Environment {
  hostname: string;
  node: string;
  platform: string;
  gitRevision: string | null;
}

/** What the runner knows about a case; everything else in result.json is derived from `history`. */
export type ResultInput = Omit<RunResult, 'lever' | 'perBot' | 'stats' | 'counts' | 'faults' | 'endedEarly' | 'durationReached'> & { history: History };

export interface PerBot {
  slug: string;
  host: string;
  daemon: string;
  fleet: string;
  class: string;
  inScope: boolean;
  timeToDrainingMs: number | null;
  timeToStopMs: number | null;
  restartMs: number | null;
}

export interface RunResult {
  runId: string;
  file: string;
  scenario: string;
  caseId: string;
  matrixValues: Record<string, unknown>;
  seed: number;
  outcome: Outcome;
  reason?: string;
  replay: string;
  startedAt: number;
  endedAt: number;
  environment: Environment;
  lever: { path: string; scope: string; target: string; mode: string; level?: number; issuedAt: number; engagedAt: number | null; releaseIssuedAt?: number; releasedAt?: number | null } | null;
  verdicts: Verdict[];
  detects?: string[];
  perBot: PerBot[];
  stats: { timeToDrainingMs: Spread; timeToStopMs: Spread };
  counts: {
    bots: number;
    inScope: number;
    effects: number;
    postFlipViolations: number | null;
    inFlightAtEngaged: number | null;
    propagationTail: number | null;
    journalIntents: number;
    notLanded: number | null;
  };
  faults: Array<{ id: string; kind: string; params: Record<string, unknown>; injectedAt: number; healedAt: number | null }>;
  /** The kill paths tried in order when kill.fallback was pulled (the first failed): which path worked. */
  killAttempts?: Array<{ path: string; issuedAt: number; engagedAt: number | null; failed: string | null }>;
  /** The runner stopped watching once the case was decided (not with --observe-full): when, in which watch, why. */
  endedEarly?: { at: number; afterKillMs: number | null; stage: string; outcome: string; reason: string };
  /** load.duration ran out before the timeline's end: the checkers still waiting are unknown. */
  durationReached?: { at: number; stage: string; durationMs: number };
}

/** Every secret-looking key anywhere in the result [redacted] (tokens never appear in result.json). */
export function withoutSecrets<T>(value: T): T {
  return redactDeep(value);
}

export function buildResult(r: ResultInput): RunResult {
  const h = r.history;
  const kill = h.lever('kill');
  const rel = h.lever('release');
  const inScope = new Set(h.inScope().map((b) => b.slug));
  const since = (slug: string, phases: string[], from: number | undefined) => {
    if (from === undefined) return null;
    const at = h.firstIn(slug, phases, from);
    return at === null ? null : at - from;
  };
  const perBot: PerBot[] = h.roster().map((b) => ({
    slug: b.slug,
    host: b.host,
    daemon: b.daemon,
    fleet: b.fleet,
    class: b.class,
    inScope: inScope.has(b.slug),
    timeToDrainingMs: inScope.has(b.slug) ? since(b.slug, ['Draining', 'Stopped'], kill?.issuedAt) : null,
    timeToStopMs: inScope.has(b.slug) ? since(b.slug, ['Stopped'], kill?.issuedAt) : null,
    restartMs: inScope.has(b.slug) && rel ? since(b.slug, ['Running'], rel.issuedAt) : null,
  }));
  const nums = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);
  const pf = r.verdicts.find((v) => v.checker === 'post-flip-effects');
  const pfCount = (k: string) => (pf && typeof pf.details[k] === 'number' ? (pf.details[k] as number) : null);
  const jc = r.verdicts.find((v) => v.checker === 'journal-consistent');
  const checkerStats = (name: string): Spread | null => {
    const st = r.verdicts.find((v) => v.checker === name)?.details.stats as Spread | undefined;
    return st && typeof st === 'object' && 'p99' in st ? st : null;
  };
  const injected = h.ofType('fault-injected');
  const healed = h.ofType('fault-healed');
  const result: RunResult = {
    runId: r.runId,
    file: r.file,
    scenario: r.scenario,
    caseId: r.caseId,
    matrixValues: r.matrixValues,
    seed: r.seed,
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    replay: r.replay,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    environment: r.environment,
    lever: kill
      ? {
          path: kill.path,
          scope: kill.scope,
          target: kill.target,
          mode: kill.mode,
          ...(kill.level !== undefined ? { level: kill.level } : {}),
          issuedAt: kill.issuedAt,
          engagedAt: kill.engagedAt,
          ...(rel ? { releaseIssuedAt: rel.issuedAt, releasedAt: rel.engagedAt } : {}),
        }
      : null,
    verdicts: r.verdicts,
    ...(r.detects ? { detects: r.detects } : {}),
    perBot,
    // The time checkers' own p50/p99/max when they ran (one definition per figure), else from perBot.
    stats: {
      timeToDrainingMs: checkerStats('time-to-draining') ?? spread(nums(perBot.filter((b) => b.inScope).map((b) => b.timeToDrainingMs))),
      timeToStopMs: checkerStats('time-to-stop') ?? spread(nums(perBot.filter((b) => b.inScope).map((b) => b.timeToStopMs))),
    },
    counts: {
      bots: perBot.length,
      inScope: inScope.size,
      effects: h.effects().length,
      postFlipViolations: pfCount('violations'),
      inFlightAtEngaged: pfCount('inFlightAtEngaged'),
      propagationTail: pfCount('propagationTail'),
      journalIntents: h.journal().filter((j) => j.intentAt !== null).length,
      notLanded: jc && typeof jc.details.notLandedCount === 'number' ? (jc.details.notLandedCount as number) : null,
    },
    faults: injected.map((f) => ({ id: f.id, kind: f.kind, params: f.params, injectedAt: f.at, healedAt: healed.find((x) => x.id === f.id)?.at ?? null })),
    ...(h.ofType('lever-fallback').length ? { killAttempts: h.killAttempts() } : {}),
    ...endings(h, kill?.issuedAt ?? null),
  };
  return withoutSecrets(result);
}

function endings(h: History, issuedAt: number | null): Pick<RunResult, 'endedEarly' | 'durationReached'> {
  const decided = h.ofType('case-decided')[0];
  const capped = h.ofType('duration-reached')[0];
  return {
    ...(decided ? { endedEarly: { at: decided.at, afterKillMs: issuedAt === null ? null : decided.at - issuedAt, stage: decided.stage, outcome: decided.outcome, reason: decided.reason } } : {}),
    ...(capped ? { durationReached: { at: capped.at, stage: capped.stage, durationMs: capped.durationMs } } : {}),
  };
}
