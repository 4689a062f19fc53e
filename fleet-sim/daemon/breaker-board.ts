// A bot daemon's circuit-breaker state, per bot and breaker (seed 003): evaluated before each tick
// of a bot, every transition (tripped, reset) and every failed evaluation journaled once. A failed
// evaluation changes nothing (seed 003 logs and trades on); the drill reports it.
import type { Bot, Bug } from '../model.ts';
import type { BreakerName, JournalBreaker } from '../../contracts/index.ts';
import { marketData, volatility, type BreakerConfig, type BreakerReading } from './breakers.ts';
import type { MarketFeedClient } from './market-feed-client.ts';
import type { Bar } from '../venue/market-data.ts';

export type BreakerRecord = Omit<JournalBreaker, 'type' | 'host' | 'daemon' | 'pid'>;

export class BreakerBoard {
  private readonly tripped = new Map<string, boolean>();
  private readonly failed = new Map<string, string>();
  private readonly c: BreakerConfig;
  private readonly feed: MarketFeedClient;
  private readonly trustsStale: boolean;
  private readonly overlaps: boolean;
  private readonly feedHealthGlobal: boolean;
  private readonly write: (r: BreakerRecord) => void;

  constructor(c: BreakerConfig, feed: MarketFeedClient, bugs: readonly Bug[], write: (r: BreakerRecord) => void) {
    this.c = c;
    this.feed = feed;
    this.trustsStale = bugs.includes('breaker-trusts-stale-bars');
    this.overlaps = bugs.includes('breaker-baseline-overlaps');
    this.feedHealthGlobal = bugs.includes('breaker-feed-health-global');
    this.write = write;
  }

  private readings(bot: Bot, now: number): BreakerReading[] {
    const out: BreakerReading[] = [];
    const bars = this.feed.bars[bot.asset];
    if (this.c.marketDataStaleMs > 0) {
      // Bug breaker-feed-health-global: one health flag for the whole feed, its stalest symbol's
      // newest bar: a gap in any symbol sends every strategy flat, not that symbol's alone.
      const [asset, judged] = this.feedHealthGlobal ? stalest(this.feed.bars) ?? [bot.asset, bars] : [bot.asset, bars];
      out.push(marketData(judged, asset, now, this.c.marketDataStaleMs, this.trustsStale));
    }
    if (this.c.volRatioThreshold > 0) {
      if (this.feed.invalid) out.push({ breaker: 'volatility', tripped: null, detail: this.feed.invalid });
      else {
        const v = volatility(bars, bot.asset, this.c, this.overlaps);
        if (v) out.push(v);
      }
    }
    return out;
  }

  /** The first breaker tripped for this bot now (null: trade), after journaling what changed. */
  check(bot: Bot, now: number): BreakerName | null {
    let first: BreakerName | null = null;
    for (const r of this.readings(bot, now)) {
      const id = `${bot.slug}\u0000${r.breaker}`;
      const was = this.tripped.get(id) ?? false;
      // Built only for a line to write: this runs before every tick of every trading bot.
      const rec = (event: BreakerRecord['event']): BreakerRecord => ({ bot: bot.slug, asset: bot.asset, breaker: r.breaker, event, at: now, detail: r.detail, ...(r.ratio !== undefined ? { ratio: r.ratio } : {}), ...(r.lastBarAt !== undefined ? { lastBarAt: r.lastBarAt } : {}) });
      if (r.tripped === null) {
        if (this.failed.get(id) !== r.detail) this.write(rec('error'));
        this.failed.set(id, r.detail);
        if (was && !first) first = r.breaker;
        continue;
      }
      this.failed.delete(id);
      if (r.tripped !== was) {
        this.tripped.set(id, r.tripped);
        this.write(rec(r.tripped ? 'tripped' : 'reset'));
      }
      if (r.tripped && !first) first = r.breaker;
    }
    return first;
  }
}

/** The asset whose newest bar is the oldest, with its bars (null: no asset has any). */
function stalest(feed: Record<string, Bar[]>): [string, Bar[]] | null {
  let out: [string, Bar[]] | null = null;
  for (const [asset, list] of Object.entries(feed)) {
    const t = list.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
    if (!out || t < (out[1].at(-1)?.t ?? Number.NEGATIVE_INFINITY)) out = [asset, list];
  }
  return out;
}
