// children-stopped (seed 004): no child run in scope starts after the flip. From the workers'
// task logs: a child spawned (fan-out) by a run in scope after the flip, or a step of a child run in
// scope (its first, from the fan-out flow, or a later one) that started its work after the flip,
// past the propagation tail (agent-history.ts), is a violation. Unknown without agent observation
// or when no run in scope fanned out during the run (nothing proves the fan-out stops).
import type { Checker } from './types.ts';
import { agentScope, budgetMsOf, isAgentVerdict, pastTail } from './agent-history.ts';
import { unknown } from './prerequisites.ts';
import { fmtMs } from './stats.ts';

export const childrenStopped: Checker = (h, e) => {
  const name = 'children-stopped';
  const s = agentScope(h, name);
  if (isAgentVerdict(s)) return s;
  if (s.tool) return unknown(name, `a kill of one tool's capability (${s.tool}) stops no run's fan-out`);
  const budget = budgetMsOf(e[name]);
  const E = s.kill.engagedAt;
  const children = new Set(s.tasks.filter((t) => t.kind === 'child' && t.event === 'enqueued' && s.runs.has(t.run)).map((t) => t.run));
  if (!children.size) return unknown(name, 'no run in scope spawned a child during the run, so nothing proves the fan-out stops');
  const spawned = s.tasks.filter((t) => t.kind === 'child' && t.event === 'enqueued' && children.has(t.run) && t.at > E);
  const stepped = s.tasks.filter((t) => t.kind === 'step' && t.event === 'started' && children.has(t.run) && t.at > E);
  const bad = [...spawned, ...stepped].filter((t) => pastTail(s, t.run, t.at, budget) === 'after');
  const alive = [...children].filter((c) => s.tasks.some((t) => t.run === c && t.at <= E && t.event === 'started'));
  const details = {
    budgetMs: budget,
    children: children.size,
    startedBeforeFlip: alive.length,
    spawnedAfterFlip: spawned.filter((t) => bad.includes(t)).map((t) => ({ worker: t.worker, child: t.run, parent: t.parent ?? null, at: t.at, afterMs: t.at - E })),
    stepsAfterFlip: stepped.filter((t) => bad.includes(t)).map((t) => ({ worker: t.worker, child: t.run, at: t.at, afterMs: t.at - E })),
    inTail: spawned.length + stepped.length - bad.length,
  };
  if (bad.length) {
    const runs = [...new Set(bad.map((t) => t.run))];
    return { checker: name, valid: false, summary: `${runs.length} child run(s) in scope started work after the flip (${details.spawnedAfterFlip.length} spawned, ${details.stepsAfterFlip.length} step(s); the last ${fmtMs(Math.max(...bad.map((t) => t.at - E)))} after engagedAt): ${runs.slice(0, 3).join(', ')}`, details };
  }
  return { checker: name, valid: true, summary: `no child run in scope was spawned or stepped after the flip (${children.size} child run(s) in scope, ${alive.length} started before it)`, details };
};
