// The simulator's bug catalog by name (docs/contracts.md §7): what a scenario's `fleet.bugs` and
// the `sim up` config may name. The names are the contract both sides share (the harness writes
// them into the fleet's config and validates scenarios against them); what each bug does is the
// simulator's own code.
export const BUGS = [
  'wrong-host-stop',
  'halt-state-in-memory',
  'broker-in-own-stop-list',
  'kill-state-cached-at-boot',
  'fail-open',
  'pubsub-only',
  'retries-survive-kill',
  'resume-ignores-halt',
  'gate-open-while-draining',
  'cancel-leaves-orders',
  'flatten-keeps-position',
  'ignores-agent-scopes',
  'sigterm-abandons-inflight',
  'gateway-accepts-while-shutting-down',
  'boots-running',
  'kill-keys-not-persisted',
  'breaker-trusts-stale-bars',
  'breaker-baseline-overlaps',
  'breaker-feed-health-global',
  'loss-breaker-counts-opens',
  // The agent workers' (preset agents, fleet-sim/agents/, docs/agents.md "Bugs"):
  'resume-reruns-effect',
  'run-scope-at-start',
  'revoke-in-memory',
  'agent-awaits-inflight',
  'agent-discard-drains',
  'agent-retry-fires-after-kill',
  'agent-children-after-kill',
  'agent-ignores-capability',
  'agent-accepts-tasks-while-halted',
] as const;
export type Bug = (typeof BUGS)[number];
