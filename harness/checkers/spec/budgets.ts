// The drill's timing bars (seed 000, "Quarterly drill"): every bot Draining within 10 s, Stopped
// within 30 s (HFT) or 300 s (everything else). The harness's own copy, not the fleet's config.
export const DRAINING_BUDGET_S = 10;

/** Stop budget per bot class: HFT 30 s; every other class (standard, paper, agent, unknown) 300 s. */
export const STOP_BUDGET_S: Readonly<Record<string, number>> = { hft: 30 };
export const DEFAULT_STOP_BUDGET_S = 300;

export function stopBudgetS(cls: string): number {
  return STOP_BUDGET_S[cls] ?? DEFAULT_STOP_BUDGET_S;
}
