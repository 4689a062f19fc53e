// The record formats both sides of the wire share (docs/contracts.md §2, §5, §6): a bot's class
// and phase names, an effect and its ledger line, a journal line and a phase-stream entry. The
// fleet writes them, the harness reads them back: one type each, so a field renamed on one side
// fails to compile on the other. Shapes only; what a record means to a checker is the harness's.

/** The bot classes (the names; each side keeps its own budgets and tick rates). */
export const BOT_CLASSES = ['hft', 'standard', 'paper', 'agent'] as const;
export type BotClass = (typeof BOT_CLASSES)[number];

export const PHASES = ['Running', 'Draining', 'Stopped'] as const;
export type Phase = (typeof PHASES)[number];

export const EFFECT_KINDS = ['order', 'cancel', 'close', 'action'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

export const ORDER_TYPES = ['limit', 'market'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** An effect as a bot sends it, less the request's line `id` (§5). */
export interface Effect {
  /** The idempotency key. */
  key: string;
  bot: string;
  fleet: string;
  tenant: string;
  group: string;
  asset: string;
  capability: string;
  run: string;
  /** A child run's parent run (seed 004: a child is in its parent's run scope): the boundary checks its run key too. */
  parentRun?: string;
  kind: EffectKind;
  side?: 'buy' | 'sell';
  qty?: number;
  /** A cancel's: the key of the order it cancels. */
  orderKey?: string;
  /** Orders only: 'limit' rests at the venue until cancelled, 'market' (the default) fills at once. */
  type?: OrderType;
  dispatchedAt: number;
}

/** What the venue's book did with an effect (§5); absent for actions. */
export type BookOutcome = 'rests' | 'fill' | 'cancelled' | 'not-open';

/** A line of the venue's effect ledger, as `GET /ledger?after=SEQ` pages it (§5). */
/** `price`: what a fill (`book: 'fill'`) was filled at: the asset's last close on the venue's feed (an `adverse-fills` fault moves it against the bot). */
export type LedgerEffect = Effect & { seq: number; receivedAt: number; book?: BookOutcome; price?: number };

/** A `GET /ledger` page. */
export interface LedgerPage {
  effects: LedgerEffect[];
  next: number;
}

export type OutcomeStatus = 'landed' | 'rejected' | 'failed';

/** A journal line written before dispatch (§6). */
export interface JournalIntent {
  type: 'intent';
  key: string;
  bot: string;
  kind: string;
  at: number;
  orderType?: string;
  orderKey?: string;
  /** An order's or close's side and quantity: a restarted daemon rebuilds its bots' positions from them. */
  side?: 'buy' | 'sell';
  qty?: number;
}

/** A journal line written after the reply (§6); `seq` when it landed. */
export interface JournalOutcome {
  type: 'outcome';
  key: string;
  bot: string;
  status: OutcomeStatus;
  seq?: number;
  at: number;
}

/**
 * A daemon's shutdown gate (§6, seed 003): `shutdown-requested` when SIGTERM reached it (no new
 * submission starts from then on), then `drained` (every submission in flight landed or was
 * rejected) or `drain-timeout` (`abandoned`: the keys still open after `drainTimeoutS`); it exits right after.
 */
export interface JournalShutdown {
  type: 'shutdown';
  /**
   * Whose gate: absent for a bot daemon; 'gateway' for the execution boundary's own (its file
   * `gateway.jsonl`, host and daemon both 'gateway'): it answers new submissions 503 once requested.
   */
  component?: 'gateway';
  event: 'shutdown-requested' | 'drained' | 'drain-timeout';
  at: number;
  host: string;
  daemon: string;
  pid: number;
  bootId: string;
  reason?: string;
  /** Submissions in flight when the shutdown was requested. */
  inFlight?: number;
  /** drained / drain-timeout: ms since shutdown-requested. */
  waitedMs?: number;
  /** drained / drain-timeout: submissions the gate refused after the request. */
  refused?: number;
  abandoned?: string[];
}

/**
 * The per-strategy circuit breakers (seed 003; fleet config `breakers`, off by default): a bot daemon
 * runs market-data and volatility before each tick; the gateway runs consecutive-losses, a
 * request-time gate on the ledger's fills (FIFO realized P&L), as seed 003's execution service does.
 */
export const BREAKERS = ['market-data', 'volatility', 'consecutive-losses'] as const;
export type BreakerName = (typeof BREAKERS)[number];

/**
 * A circuit breaker's record (seed 003, docs/contracts.md §6): a bot daemon's journal line (the
 * gateway's, host `gateway`, for consecutive-losses), one per bot and transition. `tripped`: from
 * `at` the bot opens nothing on its asset — market-data and volatility: it also cancels its resting
 * orders and closes its position (seed 003's forced `flat` decision); consecutive-losses: the gateway
 * refuses its new orders — `reset`: the condition cleared, it trades again; `error`: the breaker could
 * not evaluate (seed 003 logs and trades on: a finding).
 */
export interface JournalBreaker {
  type: 'breaker';
  bot: string;
  asset: string;
  breaker: BreakerName;
  event: 'tripped' | 'reset' | 'error';
  at: number;
  /** What the breaker saw, in words ("newest AAPL bar 2.10 s old, stale past 1.00 s", "σ ratio 7.9 > 4"). */
  detail: string;
  /** volatility: σrecent/σbaseline at the evaluation. */
  ratio?: number;
  /** market-data: the newest bar of the asset the bot had (null: none). */
  lastBarAt?: number | null;
  /** consecutive-losses: the losing closes in a row at the trip. */
  losses?: number;
  host: string;
  daemon: string;
  pid: number;
}

export type JournalEntry = JournalIntent | JournalOutcome | JournalShutdown | JournalBreaker;

/** A phase transition: the fields of a phase-stream entry (§2) and of a phase-log line (§6). */
export interface PhaseEntry {
  slug: string;
  phase: Phase;
  at: number;
  from: Phase | '';
  reason: string;
  host: string;
  daemon: string;
  pid: number;
}

/** A phase-stream entry as Redis returns it: every field a string. */
export type PhaseStreamFields = { [K in keyof PhaseEntry]: string };
