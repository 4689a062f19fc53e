// inflight-cancelled (seed 004): every LLM or tool call in scope that was open at the flip (open at
// engagedAt, or aborted between issuedAt and engagedAt: the worker may hear the kill before the
// harness hears the lever confirmed) was aborted — the provider saw its request.signal fire — within the budget (default 1 s). A call that
// ran to completion after the flip is listed with how long it bled past engagedAt; one that ended on
// its own within the budget is listed, not failed; one that completed later, was aborted later, or
// was still open at the observers' last look never aborted is a violation. Unknown without agent
// observation or with no call in scope open at the flip (nothing proves the abort).
import type { AgentCallOp } from '../history/index.ts';
import type { Checker } from './types.ts';
import { agentScope, budgetMsOf, isAgentVerdict } from './agent-history.ts';
import { unknown } from './prerequisites.ts';
import { fmtMs, spread } from './stats.ts';

const brief = (c: AgentCallOp) => ({ worker: c.worker, id: c.id, run: c.run, kind: c.kind, name: c.name, startedAt: c.startedAt, endedAt: c.endedAt, aborted: c.aborted, abortedAt: c.abortedAt });

export const inflightCancelled: Checker = (h, e) => {
  const name = 'inflight-cancelled';
  const s = agentScope(h, name);
  if (isAgentVerdict(s)) return s;
  const budget = budgetMsOf(e[name]);
  const E = s.kill.engagedAt;
  const I = s.kill.issuedAt;
  const open = s.calls.filter((c) => s.callIn(c) && c.startedAt <= E && (c.endedAt === null || c.endedAt > E || (c.aborted && c.abortedAt !== null && c.abortedAt > I)));
  if (!open.length) return unknown(name, `no call in scope was open at the flip (${s.calls.filter((c) => s.callIn(c)).length} call(s) in scope seen), so nothing proves an in-flight call is aborted`);
  const aborted = open.filter((c) => c.aborted && c.abortedAt !== null);
  const lateAbort = aborted.filter((c) => c.abortedAt! - E > budget);
  const completed = open.filter((c) => !c.aborted && c.endedAt !== null).map((c) => ({ ...brief(c), bledMs: c.endedAt! - E }));
  const bled = completed.filter((c) => c.bledMs > budget);
  const neverAborted = open.filter((c) => !c.aborted && c.endedAt === null);
  const abortMs = spread(aborted.map((c) => Math.max(0, c.abortedAt! - E)));
  const details = {
    budgetMs: budget,
    openAtFlip: open.length,
    aborted: aborted.length,
    abortMs,
    lateAborts: lateAbort.map((c) => ({ ...brief(c), afterMs: c.abortedAt! - E })),
    completedAfterFlip: completed,
    neverAborted: neverAborted.map(brief),
  };
  const problems: string[] = [];
  if (bled.length) problems.push(`${bled.length} call(s) open at the flip ran to completion instead of being aborted (the longest bled ${fmtMs(Math.max(...bled.map((c) => c.bledMs)))} past engagedAt): ${bled.slice(0, 3).map((c) => `${c.name} of ${c.run}`).join(', ')}`);
  if (lateAbort.length) problems.push(`${lateAbort.length} call(s) aborted later than ${fmtMs(budget)} after engagedAt (the last ${fmtMs(Math.max(...lateAbort.map((c) => c.abortedAt! - E)))})`);
  if (neverAborted.length) problems.push(`${neverAborted.length} call(s) open at the flip were still open, never aborted, at the observers' last look: ${neverAborted.slice(0, 3).map((c) => `${c.name} of ${c.run}`).join(', ')}`);
  if (problems.length) return { checker: name, valid: false, summary: problems.join('; '), details };
  const own = completed.length ? `; ${completed.length} ended on their own within it (longest ${fmtMs(Math.max(...completed.map((c) => c.bledMs)))} past engagedAt)` : '';
  return { checker: name, valid: true, summary: `${aborted.length} of ${open.length} call(s) open at the flip aborted within ${fmtMs(budget)} (p50 ${fmtMs(abortMs.p50)}, max ${fmtMs(abortMs.max)})${own}`, details };
};
