// The runner's input: one scenario case reduced to what the timeline needs (times in ms).
export interface FaultPlan {
  id: string;
  kind: string;
  atMs: number;
  /** Heal this long after injection; null = heal at the end of the run. */
  healAfterMs: number | null;
  params: Record<string, unknown>;
}

import type { K6Plan } from '../load/run-k6.ts';

export interface RunPlan {
  file: string;
  scenarioName: string;
  caseId: string;
  seed: number;
  fleet: { preset: string; bots?: number; bugs: string[]; overrides: Record<string, unknown> };
  warmupMs: number;
  /** Hard cap on the whole run. */
  maxDurationMs: number;
  faults: FaultPlan[];
  kill: { atMs: number; path: string; scope: string; target: string; mode: 'cancel' | 'flatten' | 'freeze'; level?: number; asset?: string; /** kill.queue: the agent fleet's queue policy, in the kill value. */ queue?: 'discard' | 'drain'; /** kill.fallback: the path pulled when this one fails. */ fallback?: string };
  /** Release this long after the kill engaged; null = no release. */
  releaseAfterMs: number | null;
  /** How long to wait for every in-scope bot to stop (max class budget). */
  stopBudgetMs: number;
  /** How long to wait for bots to come back after release. */
  restartBudgetMs: number;
  /** Keep recording this long after the last in-scope bot stopped, to catch stragglers. */
  settleMs: number;
  /** load.k6: external load driven by k6 from before the warm-up to the end (docs/load.md). */
  load?: { k6?: K6Plan };
}
