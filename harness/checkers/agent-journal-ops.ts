// The agent workers' run journal as history ops (docs/agents.md "Resume"): read with the effect
// journal after the run and passed on as they are (not in ops.ts's union).
import type { History } from '../history/index.ts';

export interface PlanSlot {
  slot: string;
  key?: string;
}
export interface AgentStepOp {
  type: 'agent-step';
  run_id: string;
  slug: string;
  step: number;
  plan: PlanSlot[];
  resumed?: boolean;
  pid: number;
  at: number;
}
export interface AgentResumeOp {
  type: 'agent-resume';
  run_id: string;
  slug: string;
  worker: string;
  step: number;
  reenters: boolean;
  halted: boolean;
  landed: string[];
  pending: string[];
  pid: number;
  previousPid: number | null;
  at: number;
}

export function agentOps<T>(h: History, type: string): T[] {
  return h.ops.filter((o) => o.type === type) as unknown as T[];
}


/**
 * Planned writes dispatched again after they landed: a journal intent (first or retry) of a key
 * the run planned, later than that key's first landing in the ledger. Seen in the journal even
 * when the second landing is past the ledger's last read.
 */
export function redispatchedLanded(h: History, keys: ReadonlySet<string>): Array<{ key: string; bot: string; landedAt: number; againAt: number }> {
  const first = new Map<string, number>();
  for (const x of h.effects()) if (keys.has(x.key)) first.set(x.key, Math.min(first.get(x.key) ?? Number.POSITIVE_INFINITY, x.receivedAt));
  const out: Array<{ key: string; bot: string; landedAt: number; againAt: number }> = [];
  for (const j of h.journal()) {
    const landedAt = first.get(j.key);
    if (landedAt === undefined) continue;
    const again = [j.intentAt, ...(j.reintentsAt ?? [])].find((t): t is number => t !== null && t > landedAt);
    if (again !== undefined) out.push({ key: j.key, bot: j.bot, landedAt, againAt: again });
  }
  return out;
}
