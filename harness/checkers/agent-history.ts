// What the agent-fleet checkers share (seed 004, issue 14): the agent workers' calls, task log
// and queue snapshots from the history, which of them the kill is over, and the propagation tail.
// Read from the ops only (agent-call, agent-task, agent-queue: harness/runner/observe-agents.ts).
// In scope: the calls and tasks of the in-scope roster bots' runs and of their children; for a kill
// of a tool's capability (`capability:<tool>`, no roster bot has it), the calls of that tool.
import type { AgentCallOp, AgentQueueOp, AgentTaskOp, History, Lever } from '../history/index.ts';
import type { CheckerName } from './names.ts';
import type { Verdict } from './types.ts';
import { unknown } from './prerequisites.ts';

export const DEFAULT_AGENT_BUDGET_S = 1;

export interface AgentScope {
  kill: Lever & { engagedAt: number };
  /** The runs in scope (roots and their children); empty for a tool-capability kill. */
  runs: Set<string>;
  /** A kill of one tool's (or `llm`'s) capability: the calls of it are in scope, the rest of each run goes on. */
  tool: string | null;
  calls: AgentCallOp[];
  tasks: AgentTaskOp[];
  queue: AgentQueueOp[];
  /** The end of the judged window: the release's issuedAt (runs resume after it), else the observers' last look. */
  until: number;
  /** The call is one the kill is over. */
  callIn(c: AgentCallOp): boolean;
  /** When the worker applied the kill to this run (its queue policy): the end of its propagation tail, or null. */
  appliedAt(run: string): number | null;
}

/** The agent scope of the kill, or the unknown verdict saying what is missing. */
export function agentScope(h: History, checker: CheckerName): AgentScope | Verdict {
  const kill = h.lever('kill');
  if (!kill) return unknown(checker, 'no kill lever was issued in this run, so there is nothing to judge');
  if (kill.engagedAt === null) return unknown(checker, `the kill was never confirmed by the system (${kill.failed ?? 'no lever-engaged recorded'}), so there is no flip to judge from`);
  if (!h.ofType('agents-observed').length) return unknown(checker, "no agent worker was observed (the fleet has none, or their control APIs were never read), so the agents' calls and queues are unknown");
  const calls = h.ofType('agent-call');
  const tasks = h.ofType('agent-task');
  const parent = new Map<string, string>();
  for (const t of tasks) if (t.parent) parent.set(t.run, t.parent);
  const rootOf = (run: string) => {
    let r = run;
    for (let i = 0; i < 10 && parent.has(r); i++) r = parent.get(r)!;
    return r;
  };
  const roots = new Set(h.inScope().map((b) => b.run).filter((r): r is string => !!r));
  const tool = kill.scope === 'capability' && !roots.size ? kill.target : null;
  if (!roots.size && !tool) return unknown(checker, `the kill (${kill.scope}:${kill.target}) matches no agent run of the roster`);
  const runs = new Set<string>();
  for (const r of [...calls.map((c) => c.run), ...tasks.map((t) => t.run), ...roots]) if (roots.has(rootOf(r))) runs.add(r);
  const rel = h.lever('release');
  const until = rel && rel.issuedAt > kill.engagedAt ? rel.issuedAt : h.observedUntil();
  const applied = new Map<string, number>();
  for (const t of tasks) if (t.event === 'policy' && t.at >= kill.engagedAt && !applied.has(t.run)) applied.set(t.run, t.at);
  return {
    kill: kill as Lever & { engagedAt: number },
    runs,
    tool,
    // What happened after the release is the resume's, not the stop's.
    calls: calls.filter((c) => c.startedAt < until),
    tasks: tasks.filter((t) => t.at < until),
    until,
    queue: h.ofType('agent-queue'),
    callIn: (c) => (tool ? c.capability === tool : runs.has(c.run)),
    appliedAt: (run) => applied.get(run) ?? null,
  };
}

export const isAgentVerdict = (x: AgentScope | Verdict): x is Verdict => 'valid' in x;

/**
 * After the flip (and before the release: `until`), and past the worker's own propagation tail: later than engagedAt and later than
 * both the moment the worker applied the kill to the run and engagedAt + budget. Work inside the
 * tail (the worker had not heard of the kill yet) is listed, not failed.
 */
export function pastTail(s: AgentScope, run: string, at: number, budgetMs: number): 'before' | 'tail' | 'after' {
  if (at <= s.kill.engagedAt) return 'before';
  const applied = s.appliedAt(run);
  const end = Math.min(applied ?? Infinity, s.kill.engagedAt + budgetMs);
  return at <= end ? 'tail' : 'after';
}

export const budgetMsOf = (e: { budgetS?: number } | undefined) => (e?.budgetS ?? DEFAULT_AGENT_BUDGET_S) * 1000;
