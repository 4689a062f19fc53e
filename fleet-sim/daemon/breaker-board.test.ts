// The breaker board journals each transition once (tripped, reset) and each failed evaluation once,
// and a failed evaluation changes nothing: a bot that was tripped stays tripped, one that was not trades on.
import { describe, expect, it } from 'vitest';
import { BreakerBoard, type BreakerRecord } from './breaker-board.ts';
import type { MarketFeedClient } from './market-feed-client.ts';
import type { Bot, Bug } from '../model.ts';

const bot = { slug: 'sa-1', asset: 'AAPL', class: 'standard' } as Bot;
const C = { marketDataStaleMs: 1000, volRatioThreshold: 0, volRecentN: 5, volBaselineN: 30 };

function board(feed: Pick<MarketFeedClient, 'bars' | 'invalid'>, c = C, bugs: Bug[] = []) {
  const out: BreakerRecord[] = [];
  return { b: new BreakerBoard(c, feed as MarketFeedClient, bugs, (r) => out.push(r)), out };
}

describe('breaker board', () => {
  it('journals tripped once while stale and reset once fresh again', () => {
    const feed = { bars: { AAPL: [{ t: 0, close: 100 }] }, invalid: null };
    const { b, out } = board(feed);
    expect(b.check(bot, 500)).toBeNull();
    expect(b.check(bot, 1500)).toBe('market-data');
    expect(b.check(bot, 1700)).toBe('market-data');
    feed.bars.AAPL.push({ t: 1800, close: 101 });
    expect(b.check(bot, 1900)).toBeNull();
    expect(out.map((r) => [r.event, r.at])).toEqual([['tripped', 1500], ['reset', 1900]]);
    expect(out[0]).toMatchObject({ bot: 'sa-1', asset: 'AAPL', breaker: 'market-data', lastBarAt: 0 });
  });
  it('journals a failed volatility evaluation once; the bot trades on', () => {
    const flat = Array.from({ length: 40 }, (_, i) => ({ t: i, close: 100 }));
    const { b, out } = board({ bars: { AAPL: flat }, invalid: null }, { ...C, marketDataStaleMs: 0, volRatioThreshold: 4 });
    expect(b.check(bot, 40)).toBeNull();
    expect(b.check(bot, 41)).toBeNull();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ event: 'error', breaker: 'volatility', detail: expect.stringMatching(/baseline σ/) });
  });
  it('an answer that was not bars is an evaluation failure of the volatility breaker', () => {
    const { b, out } = board({ bars: {}, invalid: 'GET /bars answered no bars object' }, { ...C, marketDataStaleMs: 0, volRatioThreshold: 4 });
    expect(b.check(bot, 1)).toBeNull();
    expect(out[0]).toMatchObject({ event: 'error', detail: 'GET /bars answered no bars object' });
  });
  it("judges the bot's own asset: another symbol's gap leaves it trading; with breaker-feed-health-global it trips too", () => {
    const feed = { bars: { AAPL: [{ t: 1900, close: 100 }], MSFT: [{ t: 0, close: 50 }] }, invalid: null };
    const ok = board(feed);
    expect(ok.b.check(bot, 2000)).toBeNull();
    expect(ok.out).toEqual([]);
    const bugged = board(feed, C, ['breaker-feed-health-global']);
    expect(bugged.b.check(bot, 2000)).toBe('market-data');
    expect(bugged.out[0]).toMatchObject({ bot: 'sa-1', asset: 'AAPL', event: 'tripped', lastBarAt: 0, detail: expect.stringMatching(/MSFT/) });
  });
});
