// What each kill path promises (issue 11 item 5), written once in the harness, never borrowed
// from the fleet: a lever backed by pub/sub (the broker's REST API, the CRD via the operator, the
// broker's halt levels) must bring every in-scope bot to Draining within a second; polling is
// only the fallback. The redis path SETs the key and publishes nothing, so the bots' poll
// (every pollIntervalS, the seed's 5 s) is its promise: the poll budget.
// time-to-draining uses these unless the scenario says otherwise (expect.time-to-draining).
import { DRAINING_BUDGET_S } from './spec/budgets.ts';

/** A pub/sub-backed lever: Draining within 1 s of issuedAt. */
export const PUBSUB_BUDGET_S = 1;
/** The poll fallback: seed 000's drill bar (Draining within 10 s), one 5 s poll interval and the bots' staleness margin inside it. */
export const POLL_BUDGET_S = DRAINING_BUDGET_S;

export const PROPAGATION_BUDGETS_S: Record<string, number> = {
  rest: PUBSUB_BUDGET_S,
  crd: PUBSUB_BUDGET_S,
  'broker-level': PUBSUB_BUDGET_S,
  redis: POLL_BUDGET_S,
  // A rolling SIGTERM: daemon after daemon, each drained before the next; seed 000's drill bar.
  sigterm: DRAINING_BUDGET_S,
  // Every daemon re-reads the EXECUTION_HALTED file with its health check (every ≤ 250 ms).
  file: PUBSUB_BUDGET_S,
};

/** The path's promised time to Draining, in seconds; a path this table does not know gets the poll budget. */
export function propagationBudgetS(path: string | undefined): number {
  return (path !== undefined ? PROPAGATION_BUDGETS_S[path] : undefined) ?? POLL_BUDGET_S;
}
