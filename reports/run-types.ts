// The run directory's shapes as reports read them (docs/contracts.md §9 history, §11 result.json).
// Readers are lenient: a report observes whatever the run left, also a crashed run.

export interface HistoryOp {
  t: number;
  type: string;
  [k: string]: unknown;
}

export interface RosterBot {
  slug: string;
  host: string;
  daemon: string;
  fleet: string;
  tenant?: string;
  group?: string;
  class: string;
  asset?: string;
  capability?: string;
  run?: string;
  tags?: string[];
}

export interface EffectOp {
  seq: number;
  key: string;
  bot: string;
  kind: string;
  dispatchedAt: number;
  receivedAt: number;
}

export interface PhaseOp {
  slug: string;
  phase: 'Running' | 'Draining' | 'Stopped' | string;
  at: number;
  from?: string | null;
  reason?: string | null;
  host?: string;
  daemon?: string;
}

export interface JournalOp {
  bot: string;
  key: string;
  kind: string;
  intentAt: number | null;
  outcome: 'landed' | 'rejected' | 'failed' | null;
  seq?: number | null;
}

export interface Verdict {
  checker: string;
  valid: boolean | 'unknown';
  summary: string;
  details?: unknown;
}

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

export interface Percentiles {
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export interface LeverSummary {
  path: string;
  scope: string;
  target: string;
  mode: 'cancel' | 'flatten' | 'freeze' | string;
  level?: number;
  issuedAt: number | null;
  engagedAt: number | null;
  releaseIssuedAt?: number | null;
  releasedAt?: number | null;
}

export interface FaultSummary {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  injectedAt: number | null;
  healedAt: number | null;
}

export interface RunResult {
  runId: string;
  file: string;
  scenario: string;
  caseId: string;
  matrixValues: Record<string, unknown>;
  seed: number;
  outcome: 'passed' | 'failed' | 'errored' | 'interrupted';
  reason?: string;
  replay: string;
  startedAt: number;
  endedAt: number;
  environment: { hostname: string; node: string; platform: string; gitRevision: string };
  lever: LeverSummary;
  verdicts: Verdict[];
  detects?: string[];
  perBot: PerBot[];
  stats: { timeToDrainingMs: Percentiles; timeToStopMs: Percentiles };
  counts: {
    bots: number;
    inScope: number;
    effects: number;
    postFlipViolations: number;
    inFlightAtEngaged: number;
    propagationTail: number;
    journalIntents: number;
    notLanded: number;
  };
  faults: FaultSummary[];
}

/** A run as read from its directory: the history and, unless the run crashed before writing it, result.json. */
export interface RunData {
  dir: string;
  history: HistoryOp[];
  result: RunResult | null;
}
