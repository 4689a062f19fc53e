// The checkers' public surface: every checker by name, run them all, compose, judge.
import type { History } from '../history/index.ts';
import { CHECKER_NAMES, type CheckerName } from './names.ts';
import type { Checker, Expectations, Verdict } from './types.ts';
import { timeToDraining } from './time-to-draining.ts';
import { timeToStop } from './time-to-stop.ts';
import { postFlipEffects } from './post-flip-effects.ts';
import { stopClaimsVerified } from './stop-claims-verified.ts';
import { haltStateDurable } from './halt-state-durable.ts';
import { journalConsistent } from './journal-consistent.ts';
import { restartAfterRelease } from './restart-after-release.ts';
import { botGateHeld } from './bot-gate-held.ts';
import { modeWorkDone } from './mode-work-done.ts';
import { outOfScopeUnaffected } from './out-of-scope-unaffected.ts';
import { failClosedWithin } from './fail-closed-within.ts';
import { withObserverLoss } from './observer-loss.ts';
import { loadDeclared, loadHeld } from './load-held.ts';
import { noPartialOrders } from './no-partial-orders.ts';
import { resumeExercised, resumeRespectsHalt } from './resume-respects-halt.ts';
import { inflightCancelled } from './inflight-cancelled.ts';
import { queuePolicy } from './queue-policy.ts';
import { timersCancelled } from './timers-cancelled.ts';
import { childrenStopped } from './children-stopped.ts';
import { capabilityScope } from './capability-scope.ts';
import { bootsHalted } from './boots-halted.ts';
import { breakerTripped } from './breaker-tripped.ts';

export * from './types.ts';
export { CHECKER_NAMES, type CheckerName } from './names.ts';
export { composeValidity, judge, type Judgement } from './compose.ts';
export { spread, type Spread } from './stats.ts';

export const CHECKERS: Record<CheckerName, Checker> = {
  'time-to-draining': timeToDraining,
  'time-to-stop': timeToStop,
  'post-flip-effects': postFlipEffects,
  'stop-claims-verified': stopClaimsVerified,
  'halt-state-durable': haltStateDurable,
  'journal-consistent': journalConsistent,
  'restart-after-release': restartAfterRelease,
  'bot-gate-held': botGateHeld,
  'mode-work-done': modeWorkDone,
  'out-of-scope-unaffected': outOfScopeUnaffected,
  'fail-closed-within': failClosedWithin,
  'load-held': loadHeld,
  'no-partial-orders': noPartialOrders,
  'resume-respects-halt': resumeRespectsHalt,
  'inflight-cancelled': inflightCancelled,
  'queue-policy': queuePolicy,
  'timers-cancelled': timersCancelled,
  'children-stopped': childrenStopped,
  'capability-scope': capabilityScope,
  'boots-halted': bootsHalted,
  'breaker-tripped': breakerTripped,
};

/**
 * Checkers that judge only what a scenario sets up on purpose: run only when its expect block names
 * them, or (load-held) when the run declared load (load.k6 in run-start's plan, or k6 started), or
 * (resume-respects-halt) when an agent worker resumed a run from its run journal while the kill
 * may have held it.
 */
const RUNS_WHEN: Partial<Record<CheckerName, (h: History, e: Expectations) => boolean>> = {
  'fail-closed-within': (_h, e) => e['fail-closed-within'] !== undefined,
  'load-held': (h, e) => e['load-held'] !== undefined || loadDeclared(h),
  'no-partial-orders': (_h, e) => e['no-partial-orders'] !== undefined,
  'resume-respects-halt': (h, e) => e['resume-respects-halt'] !== undefined || resumeExercised(h),
  // The agent fleet's: each judges what a scenario sets up for it (calls open at the flip, timers pending, fan-out).
  'inflight-cancelled': (_h, e) => e['inflight-cancelled'] !== undefined,
  'queue-policy': (_h, e) => e['queue-policy'] !== undefined,
  'timers-cancelled': (_h, e) => e['timers-cancelled'] !== undefined,
  'children-stopped': (_h, e) => e['children-stopped'] !== undefined,
  'capability-scope': (_h, e) => e['capability-scope'] !== undefined,
  'boots-halted': (_h, e) => e['boots-halted'] !== undefined,
  // Seed 003's circuit breakers: judged only where a scenario drills one (a market-data-gap or price-shock fault).
  'breaker-tripped': (_h, e) => e['breaker-tripped'] !== undefined,
};
export const OPT_IN = Object.keys(RUNS_WHEN) as readonly CheckerName[];

/**
 * Every checker except the skipped ones, in the stable order. A checker that throws is a bug: reported as
 * unknown, never as a pass. A `true` whose sources lost data (an observer failed to the end) is unknown.
 */
export function runCheckers(history: History, expectations: Expectations, skip: CheckerName[] = [], checkers: Record<CheckerName, Checker> = CHECKERS): Verdict[] {
  return CHECKER_NAMES.filter((n) => !skip.includes(n) && (RUNS_WHEN[n]?.(history, expectations) ?? true)).map((n) => {
    try {
      return withObserverLoss(history, checkers[n](history, expectations));
    } catch (err) {
      return { checker: n, valid: 'unknown' as const, summary: `killdrill: the checker crashed (${err instanceof Error ? err.message : String(err)}); this is a harness bug, please report it`, details: {} };
    }
  });
}
