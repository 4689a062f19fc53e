// The bots' circuit-breaker records (seed 003, docs/contracts.md §6) as the reports read them from the
// history's `breaker` ops (read with the journal after the run): the timeline's breaker rows.
import type { HistoryOp } from './run-types.ts';

export interface BreakerEvent {
  bot: string;
  asset: string;
  breaker: string;
  event: 'tripped' | 'reset' | 'error' | string;
  at: number;
  detail: string;
}

/** The history's breaker records, in the fleet's time order. */
export function breakerEvents(history: HistoryOp[]): BreakerEvent[] {
  return history
    .filter((o) => o.type === 'breaker' && typeof o.at === 'number')
    .map((o) => ({ bot: String(o.bot), asset: String(o.asset ?? ''), breaker: String(o.breaker), event: String(o.event), at: o.at as number, detail: String(o.detail ?? '') }))
    .sort((a, b) => a.at - b.at);
}
