// timers-cancelled (seed 004): no timer or delayed retry of a run in scope that was set before the
// flip fires after it. From the workers' task logs: the timers and retries enqueued before
// engagedAt and due after it were pending at the flip; any timer or retry of a run in scope that
// started its work after the flip, past the propagation tail (agent-history.ts), is a violation.
// Each pending one's fate is in the details (removed by the kill, skipped at its fire, fired).
// Unknown without agent observation or with none pending at the flip (nothing proves the cancel).
import type { Checker } from './types.ts';
import { agentScope, budgetMsOf, isAgentVerdict, pastTail } from './agent-history.ts';
import { unknown } from './prerequisites.ts';
import { fmtMs } from './stats.ts';

export const timersCancelled: Checker = (h, e) => {
  const name = 'timers-cancelled';
  const s = agentScope(h, name);
  if (isAgentVerdict(s)) return s;
  if (s.tool) return unknown(name, `a kill of one tool's capability (${s.tool}) stops no run's timers`);
  const budget = budgetMsOf(e[name]);
  const E = s.kill.engagedAt;
  const mine = s.tasks.filter((t) => s.runs.has(t.run) && (t.kind === 'timer' || t.kind === 'retry'));
  const pending = mine.filter((t) => t.event === 'enqueued' && t.at <= E && (t.dueAt ?? t.at) > E);
  if (!pending.length) return unknown(name, `no timer or delayed retry in scope was pending at the flip (${mine.filter((t) => t.event === 'enqueued').length} set in the run), so nothing proves they are cancelled`);
  const fired = mine.filter((t) => t.event === 'started' && t.at > E);
  const bad = fired.filter((t) => pastTail(s, t.run, t.at, budget) === 'after');
  const count = (ev: string) => mine.filter((t) => t.event === ev && t.at > E).length;
  const details = {
    budgetMs: budget,
    pendingAtFlip: { timer: pending.filter((t) => t.kind === 'timer').length, retry: pending.filter((t) => t.kind === 'retry').length },
    removedAfterFlip: count('removed'),
    skippedAfterFlip: count('skipped'),
    firedAfterFlip: bad.map((t) => ({ worker: t.worker, run: t.run, kind: t.kind, at: t.at, afterMs: t.at - E })),
    firedInTail: fired.length - bad.length,
  };
  if (bad.length) return { checker: name, valid: false, summary: `${bad.length} timer(s)/retry(s) of runs in scope fired after the flip (the last ${fmtMs(Math.max(...bad.map((t) => t.at - E)))} after engagedAt; ${pending.length} were pending at it): ${[...new Set(bad.map((t) => `${t.kind} of ${t.run}`))].slice(0, 3).join(', ')}`, details };
  return { checker: name, valid: true, summary: `none of the ${pending.length} timer(s)/retry(s) pending at the flip fired after it (${details.removedAfterFlip} removed by the kill, ${details.skippedAfterFlip} skipped when due)`, details };
};
