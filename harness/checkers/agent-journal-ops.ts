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

