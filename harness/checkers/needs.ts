// Which observed sources each checker's verdict rests on (docs/reports.md "Observer failures").
// When a needed source lost data (its observer could not read it to the end of the run: an
// `observer-failed` op with recovered: false), runCheckers turns that checker's `true` into
// `unknown`: missing evidence is never a pass. A `false` stays: a violation seen is proven.
import type { CheckerName } from './names.ts';

/** The history's sources, one per observer (harness/runner/observe-*.ts, read-journal.ts). */
export const OBSERVER_SOURCES = ['ledger', 'phases', 'claims', 'status', 'daemons', 'journal', 'agents'] as const;
export type ObserverSource = (typeof OBSERVER_SOURCES)[number];

export const NEEDS: Partial<Record<CheckerName, readonly ObserverSource[]>> = {
  'time-to-draining': ['phases'],
  'time-to-stop': ['phases'],
  // phases: an effect dispatched after its bot's own Draining is a violation whatever engagedAt says.
  'post-flip-effects': ['ledger', 'phases'],
  'stop-claims-verified': ['claims', 'daemons', 'ledger'],
  'halt-state-durable': ['status'],
  'journal-consistent': ['ledger', 'journal'],
  'restart-after-release': ['phases'],
  'bot-gate-held': ['journal', 'phases'],
  'mode-work-done': ['ledger', 'phases'],
  'out-of-scope-unaffected': ['phases', 'ledger'],
  'fail-closed-within': ['phases'],
  // phases: the window runs until every in-scope bot is Stopped. Its own evidence is k6's output (load-start … load-end).
  'load-held': ['phases'],
  // daemons: a life without a drained record ends at its daemon's next exit or start.
  'no-partial-orders': ['journal', 'ledger', 'daemons'],
  // journal: the agent workers' run journal comes with it (agent-step, agent-resume).
  'resume-respects-halt': ['journal', 'ledger'],
  // agents: the agent workers' GET /calls, /tasks and /queue (harness/runner/observe-agents.ts).
  'inflight-cancelled': ['agents'],
  'queue-policy': ['agents'],
  'timers-cancelled': ['agents'],
  'children-stopped': ['agents'],
  'capability-scope': ['agents'],
  // daemons: the starts judged; phases: each bot's boot phase; ledger: what it sent before Stopped.
  'boots-halted': ['daemons', 'phases', 'ledger'],
  // journal: the breaker records (read with it after the run); ledger: what a tripped bot sent, its book.
  'breaker-tripped': ['journal', 'ledger'],
};
