// The stable checker names (DESIGN.md §3). The scenario schema accepts only these.
export const CHECKER_NAMES = [
  'time-to-draining',
  'time-to-stop',
  'post-flip-effects',
  'stop-claims-verified',
  'halt-state-durable',
  'journal-consistent',
  'restart-after-release',
  'bot-gate-held',
  'mode-work-done',
  'out-of-scope-unaffected',
  'fail-closed-within',
  'load-held',
  'no-partial-orders',
  'resume-respects-halt',
  // The agent fleet's (seed 004, issue 14; opt-in: a scenario's expect names them).
  'inflight-cancelled',
  'queue-policy',
  'timers-cancelled',
  'children-stopped',
  'capability-scope',
  'boots-halted',
  // Seed 003's circuit breakers (opt-in).
  'breaker-tripped',
] as const;
export type CheckerName = (typeof CHECKER_NAMES)[number];
