// Seed 003's per-strategy circuit breakers, evaluated by a bot daemon before every tick of a bot
// (fleet config `breakers`, off by default). From the venue's market-data feed (GET /bars):
// - market-data: no bar of the bot's asset newer than `marketDataStaleMs` (a stalled or unreachable
//   feed) — seed 003's "strategy inputs missing";
// - volatility: σrecent/σbaseline of the log returns above `volRatioThreshold`, recent = the last
//   `volRecentN` returns, baseline = the `volBaselineN` before them (STRATEGY_CB_VOL_*).
// A tripped breaker makes the bot go flat on its asset (bot-runner.ts); every transition and every
// evaluation that failed is a `breaker` line in the daemon's journal (contracts/records.ts).
import type { BreakerName } from '../../contracts/index.ts';
import type { Bar } from '../venue/market-data.ts';

export interface BreakerConfig {
  marketDataStaleMs: number;
  volRatioThreshold: number;
  volRecentN: number;
  volBaselineN: number;
}

export interface BreakerReading {
  breaker: BreakerName;
  /** true: tripped; false: clear; null: could not evaluate (`detail` says why). */
  tripped: boolean | null;
  detail: string;
  ratio?: number;
  lastBarAt?: number | null;
}

export const breakersOn = (c: BreakerConfig): boolean => c.marketDataStaleMs > 0 || c.volRatioThreshold > 0;

/** Bars a daemon asks for: enough for the volatility windows (and one more for the first return). */
export const barsNeeded = (c: BreakerConfig): number => c.volRecentN + c.volBaselineN + 1;

/**
 * Missing market data. With the breaker-trusts-stale-bars bug it asks only whether the bars list is
 * empty: a feed that stalled keeps serving its last bars, so a gap never trips it.
 */
export function marketData(bars: Bar[] | undefined, asset: string, now: number, staleMs: number, trustsStale = false): BreakerReading {
  const last = bars?.length ? bars[bars.length - 1].t : null;
  if (last === null) return { breaker: 'market-data', tripped: true, detail: `no ${asset} bar at all`, lastBarAt: null };
  if (trustsStale) return { breaker: 'market-data', tripped: false, detail: `${bars!.length} ${asset} bar(s) present`, lastBarAt: last };
  const age = now - last;
  const stale = age > staleMs;
  return { breaker: 'market-data', tripped: stale, detail: `newest ${asset} bar ${(age / 1000).toFixed(2)} s old, stale past ${(staleMs / 1000).toFixed(2)} s`, lastBarAt: last };
}

function sd(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Abnormal volatility: null while there are too few bars (warming up). With the
 * breaker-baseline-overlaps bug the baseline is the last `volBaselineN` returns, the recent ones
 * among them: a shock raises both, and the ratio stays under the threshold.
 */
export function volatility(bars: Bar[] | undefined, asset: string, c: BreakerConfig, overlaps = false): BreakerReading | null {
  const need = barsNeeded(c);
  if (!bars || bars.length < need) return null;
  const closes = bars.slice(-need).map((b) => b.close);
  if (closes.some((x) => !Number.isFinite(x) || x <= 0)) return { breaker: 'volatility', tripped: null, detail: `a ${asset} close is not a positive number (${closes.find((x) => !Number.isFinite(x) || x <= 0)}); σ cannot be computed` };
  const r = closes.slice(1).map((x, i) => Math.log(x / closes[i]));
  const recent = r.slice(-c.volRecentN);
  const baseline = overlaps ? r.slice(-c.volBaselineN) : r.slice(0, c.volBaselineN);
  const sb = sd(baseline);
  if (!(sb > 0)) return { breaker: 'volatility', tripped: null, detail: `the ${asset} baseline σ over ${baseline.length} returns is ${sb}; the ratio cannot be computed` };
  const ratio = sd(recent) / sb;
  return { breaker: 'volatility', tripped: ratio > c.volRatioThreshold, detail: `${asset} σ ratio ${ratio.toFixed(2)} ${ratio > c.volRatioThreshold ? '>' : '≤'} ${c.volRatioThreshold}`, ratio };
}
