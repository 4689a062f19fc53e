// queue-policy (seed 004): the kill's queue policy (`queue: drain | discard` on the lever; absent:
// discard, the workers' default) was honoured for the runs in scope. From the task logs and the
// queue snapshots at T+0 and T+60 s (or before the release / the case end, the op says which):
// - discard: no queued or delayed job in scope started its work after the flip (past the
//   propagation tail, agent-history.ts); none was taken off the queue after the worker applied the
//   discard (a discard that drains leaves the jobs to be taken); the later snapshot holds no job in
//   scope; every job the discard removed is journaled as not run (the snapshot's notRun);
// - drain: no new job in scope was enqueued after the flip, and none started its work.
// The queue figures (per worker and in scope, at both snapshots) go into the details. Unknown
// without agent observation, without both snapshots, or with nothing queued in scope at the flip.
import type { AgentQueueOp } from '../history/index.ts';
import type { Checker } from './types.ts';
import { agentScope, budgetMsOf, isAgentVerdict, pastTail } from './agent-history.ts';
import { unknown } from './prerequisites.ts';

const QUEUED = ['waiting', 'delayed', 'prioritized', 'waiting-children'];

function figures(q: AgentQueueOp, runs: Set<string>) {
  let inScope = 0;
  let notRun = 0;
  const total: Record<string, number> = {};
  const failed: string[] = [];
  for (const w of q.workers) {
    if (!w.ok) {
      failed.push(`${w.worker}: ${w.error}`);
      continue;
    }
    notRun += w.notRun;
    for (const [k, v] of Object.entries(w.counts)) total[k] = (total[k] ?? 0) + v;
    for (const [run, states] of Object.entries(w.byRun)) if (runs.has(run)) for (const st of QUEUED) inScope += states[st] ?? 0;
  }
  return { label: q.label, at: q.at, sinceKillMs: q.sinceKillMs, total, queuedInScope: inScope, notRun, failed };
}

export const queuePolicy: Checker = (h, e) => {
  const name = 'queue-policy';
  const s = agentScope(h, name);
  if (isAgentVerdict(s)) return s;
  if (s.tool) return unknown(name, `a kill of one tool's capability (${s.tool}) applies no queue policy`);
  const budget = budgetMsOf(e[name]);
  const E = s.kill.engagedAt;
  const issued = h.ofType('lever-issued').find((o) => o.lever === 'kill') as { queue?: string } | undefined;
  const policy = issued?.queue === 'drain' ? 'drain' : 'discard';
  const first = s.queue.find((q) => q.label === 'T+0');
  const second = s.queue.find((q) => q.label !== 'T+0');
  if (!first || !second) return unknown(name, `the queues were not read at both T+0 and later (${s.queue.map((q) => q.label).join(', ') || 'no read'}), so the queue state after the kill is unknown`);
  const f0 = figures(first, s.runs);
  const f1 = figures(second, s.runs);
  if (f0.failed.length || f1.failed.length) return unknown(name, `a worker's queue could not be read: ${[...f0.failed, ...f1.failed].join('; ')}`);
  const mine = s.tasks.filter((t) => s.runs.has(t.run) && t.kind !== 'child');
  // Steps tell the policies apart: timers and retries are removed under either (timers-cancelled judges them).
  // A child's first step is the child job of its flow: its spawn (`child` enqueued) is that step's enqueue.
  const perRun = new Map<string, number>();
  for (const t of s.tasks) {
    if (!s.runs.has(t.run) || t.at > E) continue;
    const enq = t.event === 'enqueued' && (t.kind === 'step' || t.kind === 'child');
    const taken = t.kind === 'step' && (t.event === 'started' || t.event === 'skipped' || t.event === 'removed');
    if (enq || taken) perRun.set(t.run, Math.max(0, (perRun.get(t.run) ?? 0) + (enq ? 1 : -1)));
  }
  const pending = [...perRun.values()].reduce((a, b) => a + b, 0);
  // The policy each worker says it applied to a run (its task log's `policy` line) must be the kill's.
  // From the lever's issue: a worker often hears the kill before the harness hears the lever's answer.
  const I = s.kill.issuedAt;
  const otherPolicy = s.tasks.filter((t) => s.runs.has(t.run) && t.event === 'policy' && t.at >= I && t.policy !== undefined && t.policy !== policy);
  const mismatch = otherPolicy.length ? `the kill said ${policy} and ${new Set(otherPolicy.map((t) => t.run)).size} run(s) in scope had ${[...new Set(otherPolicy.map((t) => t.policy))].join(', ')} applied (${[...new Set(otherPolicy.map((t) => t.run))].slice(0, 3).join(', ')})` : null;
  // A worker that applied another policy than the kill said fails whatever was queued.
  if (pending <= 0 && mismatch) return { checker: name, valid: false, summary: `${policy}: ${mismatch}`, details: { policy, pendingAtFlip: 0 } };
  if (pending <= 0) return unknown(name, `no step of a run in scope was queued at the flip (${f0.queuedInScope} job(s) in scope at T+0: timers and retries, which every kill removes), so nothing tells the queue policy apart`);
  const past = (t: { run: string; at: number }) => pastTail(s, t.run, t.at, budget) === 'after';
  const started = mine.filter((t) => t.event === 'started' && t.at > E && past(t));
  const problems: string[] = [];
  const details: Record<string, unknown> = { policy, budgetMs: budget, pendingAtFlip: pending /* steps */, queue: [f0, f1], startedAfterFlip: started.length };
  if (started.length) problems.push(`${started.length} queued job(s) in scope started their work after the flip`);
  if (mismatch) problems.push(mismatch);
  if (policy === 'discard') {
    const taken = mine.filter((t) => t.event === 'skipped' && t.at > E && (s.appliedAt(t.run) === null ? past(t) : t.at > s.appliedAt(t.run)!));
    const removed = mine.filter((t) => t.event === 'removed' && t.policy === 'discard' && t.at > E).length;
    Object.assign(details, { removedByDiscard: removed, takenAfterDiscard: taken.length, journaledNotRun: f1.notRun });
    if (taken.length) problems.push(`${taken.length} job(s) in scope were taken off the queue after the discard was applied (the discard drained instead of removing them)`);
    if (f1.queuedInScope > 0) problems.push(`${f1.queuedInScope} job(s) in scope still queued at ${f1.label} (${Math.round(f1.sinceKillMs / 1000)} s after the kill) under discard`);
    if (f1.notRun < removed) problems.push(`${removed} job(s) removed by the discard but only ${f1.notRun} journaled as not run`);
  } else {
    const enq = mine.filter((t) => t.event === 'enqueued' && t.at > E && past(t));
    // Drain keeps what was queued (taken when due, doing nothing): a queued step removed is a discard.
    const removedSteps = mine.filter((t) => t.event === 'removed' && t.kind === 'step' && t.at >= I).length;
    Object.assign(details, { enqueuedAfterFlip: enq.length, stepsRemoved: removedSteps });
    if (enq.length) problems.push(`${enq.length} new job(s) in scope enqueued after the flip under drain`);
    if (removedSteps) problems.push(`${removedSteps} queued step(s) in scope removed under drain (a discard: drain lets them be taken and do nothing)`);
  }
  const fig = `in scope: ${f0.queuedInScope} queued at T+0, ${f1.queuedInScope} at ${f1.label}`;
  if (problems.length) return { checker: name, valid: false, summary: `${policy}: ${problems.join('; ')} (${fig})`, details };
  return { checker: name, valid: true, summary: `${policy} honoured: nothing in scope started after the flip${policy === 'discard' ? `, ${details.removedByDiscard} job(s) removed and journaled as not run` : ', nothing new enqueued'} (${fig})`, details };
};
