// The gateway's consecutive-losses breaker: FIFO attribution, a trip at the Nth losing close, a
// reset on a winning close or at the end of the cooldown, a quiet replay, and the counts-opens bug.
import { describe, expect, it } from 'vitest';
import { LossBreaker, type Fill, type LossRecord } from './loss-breaker.ts';

const f = (side: 'buy' | 'sell', qty: number, price: number, at: number, bot = 'sa-1'): Fill => ({ bot, asset: 'AAPL', side, qty, price, at });

function breaker(max = 3, cooldownMs = 1000, countsOpens = false) {
  const out: LossRecord[] = [];
  return { b: new LossBreaker({ max, cooldownMs, write: (r) => out.push(r), countsOpens }), out };
}

/** A round trip that loses 1 a share: buy at 100, sell at 99. */
const losingTrip = (at: number, bot = 'sa-1'): Fill[] => [f('buy', 2, 100, at, bot), f('sell', 2, 99, at + 1, bot)];

describe('consecutive-losses breaker', () => {
  it('attributes FIFO: a sell closes the oldest long lots first, the rest opens a short', () => {
    const lots = [] as Array<{ qty: number; price: number }>;
    expect(LossBreaker.attribute(lots, 'buy', 2, 100)).toBeNull();
    expect(LossBreaker.attribute(lots, 'buy', 3, 110)).toBeNull();
    // Sells 4: 2 @100 and 2 @110 close at 105 → +10 − 10 = 0; 1 of the second lot stays.
    expect(LossBreaker.attribute(lots, 'sell', 4, 105)).toBeCloseTo(0);
    expect(lots).toEqual([{ qty: 1, price: 110 }]);
    // Sells 3 at 100: closes the last long (−10), opens a short of 2 at 100.
    expect(LossBreaker.attribute(lots, 'sell', 3, 100)).toBeCloseTo(-10);
    expect(lots).toEqual([{ qty: -2, price: 100 }]);
    // A short closed lower wins.
    expect(LossBreaker.attribute(lots, 'buy', 2, 90)).toBeCloseTo(20);
    expect(lots).toEqual([]);
  });

  it('trips at the third losing close in a row and refuses orders until the cooldown, then resets', () => {
    const { b, out } = breaker();
    for (const x of [...losingTrip(0), ...losingTrip(10)]) b.fill(x);
    expect(b.blocks('sa-1', 20)).toBe(false);
    for (const x of losingTrip(20)) b.fill(x);
    expect(out).toEqual([expect.objectContaining({ bot: 'sa-1', asset: 'AAPL', breaker: 'consecutive-losses', event: 'tripped', at: 21, losses: 3 })]);
    expect(b.blocks('sa-1', 500)).toBe(true);
    expect(b.blocks('sa-2', 500)).toBe(false);
    expect(b.blocks('sa-1', 1021)).toBe(false);
    expect(out[1]).toMatchObject({ event: 'reset', at: 1021, detail: expect.stringMatching(/cooldown/) });
    // The streak started over: one more loss does not trip it again.
    for (const x of losingTrip(1100)) b.fill(x);
    expect(b.blocks('sa-1', 1200)).toBe(false);
  });

  it('a winning close ends the streak, and resets a tripped breaker', () => {
    const { b, out } = breaker(2);
    for (const x of [...losingTrip(0), f('buy', 1, 100, 5), f('sell', 1, 101, 6), ...losingTrip(10)]) b.fill(x);
    expect(out).toEqual([]);
    for (const x of losingTrip(20)) b.fill(x);
    expect(b.blocks('sa-1', 30)).toBe(true);
    b.fill(f('buy', 1, 100, 40));
    b.fill(f('sell', 1, 102, 41));
    expect(b.blocks('sa-1', 42)).toBe(false);
    expect(out.map((r) => r.event)).toEqual(['tripped', 'reset']);
  });

  it('replays the ledger quietly: a restarted gateway still refuses a bot tripped before it', () => {
    const { b, out } = breaker(3, 10_000);
    expect(b.replay([...losingTrip(0), ...losingTrip(10), ...losingTrip(20)])).toBe(6);
    expect(out).toEqual([]);
    expect(b.blocks('sa-1', 100)).toBe(true);
  });

  it('with loss-breaker-counts-opens, the opening fills between the losing closes end the streak: it never trips', () => {
    const { b, out } = breaker(3, 1000, true);
    for (const t of [0, 10, 20, 30, 40]) for (const x of losingTrip(t)) b.fill(x);
    expect(out).toEqual([]);
    expect(b.blocks('sa-1', 50)).toBe(false);
  });
});
