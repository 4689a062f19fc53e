// A checker is a pure function (history, expectations) → Verdict (DESIGN.md §3).
import type { History } from '../history/index.ts';
import type { CheckerName } from './names.ts';
import type { BreakerName } from '../../contracts/index.ts';

export type Validity = true | false | 'unknown';

export interface Verdict {
  checker: CheckerName;
  valid: Validity;
  summary: string;
  details: Record<string, unknown>;
}

/** Per-checker thresholds: the scenario's `expect` block (every field optional; see expectations.ts for defaults). */
export interface Expectations {
  'time-to-draining'?: { budgetS?: number; byPath?: Partial<Record<string, number>> };
  'time-to-stop'?: { budgetS?: Partial<Record<string, number>> };
  'post-flip-effects'?: { max?: number };
  'stop-claims-verified'?: { graceS?: number };
  'halt-state-durable'?: { graceS?: number };
  'journal-consistent'?: Record<string, never>;
  'restart-after-release'?: { budgetS?: number };
  'mode-work-done'?: Record<string, never>;
  'bot-gate-held'?: Record<string, never>;
  'out-of-scope-unaffected'?: Record<string, never>;
  'fail-closed-within'?: { fault?: string; budgetS?: number };
  'load-held'?: Record<string, never>;
  'no-partial-orders'?: Record<string, never>;
  'resume-respects-halt'?: Record<string, never>;
  /** budgetS: how long after engagedAt an open call may take to be aborted (default 1 s, seed 004). */
  'inflight-cancelled'?: { budgetS?: number };
  /** budgetS: the propagation tail (default 1 s): work a worker did after engagedAt but before it applied the kill, and within this, is listed, not failed. */
  'queue-policy'?: { budgetS?: number };
  'timers-cancelled'?: { budgetS?: number };
  'children-stopped'?: { budgetS?: number };
  'capability-scope'?: { budgetS?: number };
  'boots-halted'?: Record<string, never>;
  /**
   * Seed 003's circuit breakers: which one is drilled; budgetS from the fault's injection to the trip,
   * and from the trip to flat (default 2); consecutive-losses: from the Nth losing close to the trip
   * and its refusals, with the operator's `losses` (N) and `cooldownS` (default 10).
   */
  'breaker-tripped'?: { breaker: BreakerName; budgetS?: number; losses?: number; cooldownS?: number };
}

export type Checker = (history: History, expectations: Expectations) => Verdict;
