// The breakers' evaluations on bars from the venue's own feed generator (seed 003): fresh and stale
// data, a volatility shock, the two catalog bugs, and the evaluations that cannot be made.
import { describe, expect, it } from 'vitest';
import { MarketFeed, type Bar } from '../venue/market-data.ts';
import { marketData, volatility, type BreakerConfig } from './breakers.ts';

const C: BreakerConfig = { marketDataStaleMs: 1000, volRatioThreshold: 4, volRecentN: 5, volBaselineN: 30 };

/** `calm` bars, then `shocked` bars with sigma × 8, 250 ms apart. */
function bars(calm: number, shocked: number, seed = 1): Bar[] {
  const f = new MarketFeed({ assets: ['AAPL'], seed, barMs: 250, sigma: 0.001, shockFactor: 8, now: 0 });
  for (let i = 1; i <= calm; i++) f.tick(i * 250);
  f.setFaults({ gap: [], shock: ['AAPL'], adverse: [] });
  for (let i = 1; i <= shocked; i++) f.tick((calm + i) * 250);
  return f.latest(500).AAPL;
}

describe('market-data breaker', () => {
  it('trips on no bar and on a newest bar older than the bound; clear on fresh data', () => {
    expect(marketData(undefined, 'AAPL', 5000, 1000)).toMatchObject({ tripped: true, lastBarAt: null });
    expect(marketData([], 'AAPL', 5000, 1000).tripped).toBe(true);
    const b = [{ t: 4000, close: 100 }];
    expect(marketData(b, 'AAPL', 4900, 1000)).toMatchObject({ tripped: false, lastBarAt: 4000 });
    expect(marketData(b, 'AAPL', 5001, 1000)).toMatchObject({ tripped: true, detail: 'newest AAPL bar 1.00 s old, stale past 1.00 s' });
  });
  it('with breaker-trusts-stale-bars, stale bars never trip it (only none does)', () => {
    expect(marketData([{ t: 0, close: 100 }], 'AAPL', 60_000, 1000, true).tripped).toBe(false);
    expect(marketData([], 'AAPL', 60_000, 1000, true).tripped).toBe(true);
  });
  it('a feed in a gap keeps its old bars and makes none for that asset', () => {
    const f = new MarketFeed({ assets: ['AAPL', 'SPY'], seed: 1, barMs: 250, sigma: 0.001, shockFactor: 8, now: 0 });
    f.tick(250);
    f.setFaults({ gap: ['AAPL'], shock: [], adverse: [] });
    f.tick(500);
    const l = f.latest(10);
    expect(l.AAPL.map((x) => x.t)).toEqual([0, 250]);
    expect(l.SPY.map((x) => x.t)).toEqual([0, 250, 500]);
  });
});

describe('volatility breaker', () => {
  it('warms up (null) until recent + baseline + 1 bars, then stays under the threshold on calm data', () => {
    expect(volatility(bars(30, 0), 'AAPL', C)).toBeNull();
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = volatility(bars(60, 0, seed), 'AAPL', C)!;
      expect(r.tripped, `seed ${seed}: ${r.detail}`).toBe(false);
      expect(r.ratio).toBeGreaterThan(0);
    }
  });
  it('trips within the recent window of a shock × 8', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = volatility(bars(60, 5, seed), 'AAPL', C)!;
      expect(r.tripped, `seed ${seed}: ${r.detail}`).toBe(true);
      expect(r.ratio).toBeGreaterThan(4);
    }
  });
  it('with breaker-baseline-overlaps, the baseline holds the shocked returns and the shock never trips it', () => {
    for (const seed of [1, 2, 3, 4, 5])
      for (const shocked of [1, 2, 3, 5, 10, 20]) {
        const r = volatility(bars(60, shocked, seed), 'AAPL', C, true)!;
        expect(r.tripped, `seed ${seed}, ${shocked} shocked: ${r.detail}`).toBe(false);
      }
  });
  it('cannot evaluate a flat baseline or a close that is not positive: null tripped, with why', () => {
    const flat = Array.from({ length: 36 }, (_, i) => ({ t: i * 250, close: 100 }));
    expect(volatility(flat, 'AAPL', C)).toMatchObject({ tripped: null, detail: expect.stringMatching(/baseline σ .* is 0/) });
    const bad = bars(60, 0).map((b, i, a) => (i === a.length - 1 ? { ...b, close: -1 } : b));
    expect(volatility(bad, 'AAPL', C)).toMatchObject({ tripped: null, detail: expect.stringMatching(/not a positive number/) });
  });
});
