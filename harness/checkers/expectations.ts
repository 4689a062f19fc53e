// Defaults of every threshold (seed 000's drill bars where it gives one: spec/budgets.ts).
import { stopBudgetS } from './spec/budgets.ts';
import type { Expectations } from './types.ts';
import { propagationBudgetS } from './propagation-budgets.ts';

export const DEFAULTS = {
  postFlipMax: 0,
  claimGraceS: 5,
  haltGraceS: 2,
  restartS: 30,
};

/** Time to Draining: the scenario's budget for this path (byPath), else its budgetS, else the path's promise (propagation-budgets.ts). */
export const drainingBudgetMs = (e: Expectations, path?: string) => {
  const own = e['time-to-draining'];
  return ((path !== undefined ? own?.byPath?.[path] : undefined) ?? own?.budgetS ?? propagationBudgetS(path)) * 1000;
};

/** Stop budget per class: hft 30 s, the others 300 s, unless the scenario says otherwise. */
export function stopBudgetMs(e: Expectations, cls: string): number {
  const own = e['time-to-stop']?.budgetS?.[cls];
  return (own ?? stopBudgetS(cls)) * 1000;
}

export const postFlipMax = (e: Expectations) => e['post-flip-effects']?.max ?? DEFAULTS.postFlipMax;
export const claimGraceMs = (e: Expectations) => (e['stop-claims-verified']?.graceS ?? DEFAULTS.claimGraceS) * 1000;
export const haltGraceMs = (e: Expectations) => (e['halt-state-durable']?.graceS ?? DEFAULTS.haltGraceS) * 1000;
export const restartBudgetMs = (e: Expectations) => (e['restart-after-release']?.budgetS ?? DEFAULTS.restartS) * 1000;
