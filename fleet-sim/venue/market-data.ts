// The venue's market-data feed (seed 003's breakers read it): one bar per asset every `barMs`, the
// close a seeded random walk of log returns with standard deviation `sigma`. Two faults act on it
// through the fleet's control API (the venue re-reads its control file on SIGUSR2): a gap stops new
// bars for some assets (the feed keeps serving the old ones, as a stalled feed does), a shock
// multiplies sigma by `shockFactor` for them; a third fills orders off the last close against the
// bot (adverse-fills: every round trip loses, and the consecutive-losses breaker trips). Served as
// `GET /bars` (http-api.ts); fills are priced by `fillPrice` (tcp-api.ts).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rngFor, type Rng } from '../daemon/prng.ts';

export interface Bar {
  /** When the bar closed (epoch ms). */
  t: number;
  close: number;
}

/** What the faults set: assets in a gap, in a shock, and filled adversely (`'*'`: every asset). */
export interface FeedFaults {
  gap: string[];
  shock: string[];
  /** adverse-fills: their fills are `adverseSlip` off the last close, against the bot. */
  adverse: string[];
}

/** Bars kept per asset (GET /bars serves at most this many). */
export const MAX_BARS = 500;

export function feedControlFile(dataDir: string): string {
  return join(dataDir, 'control', 'venue.market.json');
}

/** The control API's side: writes the faults the venue applies once signalled. */
export function writeFeedFaults(dataDir: string, f: FeedFaults): string {
  const file = feedControlFile(dataDir);
  mkdirSync(join(dataDir, 'control'), { recursive: true });
  if (!f.gap.length && !f.shock.length && !f.adverse.length) rmSync(file, { force: true });
  else writeFileSync(file, `${JSON.stringify(f)}\n`);
  return file;
}

export function readFeedFaults(dataDir: string): FeedFaults {
  const file = feedControlFile(dataDir);
  if (!existsSync(file)) return { gap: [], shock: [], adverse: [] };
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<FeedFaults>;
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return { gap: list(o.gap), shock: list(o.shock), adverse: list(o.adverse) };
  } catch {
    return { gap: [], shock: [], adverse: [] };
  }
}

const hit = (list: string[], asset: string) => list.includes('*') || list.includes(asset);

export class MarketFeed {
  readonly barMs: number;
  private readonly bars = new Map<string, Bar[]>();
  private readonly rng = new Map<string, Rng>();
  private faults: FeedFaults = { gap: [], shock: [], adverse: [] };
  private timer: NodeJS.Timeout | null = null;
  private readonly sigma: number;
  private readonly shockFactor: number;
  private readonly adverseSlip: number;

  constructor(o: { assets: string[]; seed: number; barMs: number; sigma: number; shockFactor: number; adverseSlip?: number; now: number }) {
    this.barMs = o.barMs;
    this.sigma = o.sigma;
    this.shockFactor = o.shockFactor;
    this.adverseSlip = o.adverseSlip ?? 0.01;
    for (const a of o.assets) {
      this.rng.set(a, rngFor(o.seed, `market:${a}`));
      this.bars.set(a, [{ t: o.now, close: 100 }]);
    }
  }

  get assets(): string[] {
    return [...this.bars.keys()];
  }

  setFaults(f: FeedFaults): void {
    this.faults = f;
  }

  get currentFaults(): FeedFaults {
    return this.faults;
  }

  /** One bar for every asset not in a gap. */
  tick(now: number): void {
    for (const [asset, list] of this.bars) {
      if (hit(this.faults.gap, asset)) continue;
      const rng = this.rng.get(asset)!;
      const sd = this.sigma * (hit(this.faults.shock, asset) ? this.shockFactor : 1);
      const last = list[list.length - 1].close;
      list.push({ t: now, close: last * Math.exp(sd * gaussian(rng)) });
      if (list.length > MAX_BARS) list.splice(0, list.length - MAX_BARS);
    }
  }

  start(now: () => number): void {
    this.timer = setInterval(() => this.tick(now()), this.barMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * What a fill of `side` on `asset` is filled at now: the asset's last close, `adverseSlip` against
   * the bot under an adverse-fills fault; null for an asset the feed has no bar of (an agent's).
   */
  fillPrice(asset: string, side: 'buy' | 'sell' | undefined): number | null {
    const last = this.bars.get(asset)?.at(-1)?.close;
    if (last === undefined) return null;
    const slip = hit(this.faults.adverse, asset) ? this.adverseSlip * (side === 'sell' ? -1 : 1) : 0;
    return Math.round(last * (1 + slip) * 1e6) / 1e6;
  }

  /** The newest `n` bars of each asset (of `asset` only, when given). */
  latest(n: number, asset?: string): Record<string, Bar[]> {
    const out: Record<string, Bar[]> = {};
    for (const [a, list] of this.bars) if (asset === undefined || a === asset) out[a] = list.slice(-n);
    return out;
  }
}

/** A standard normal draw (Box–Muller) from the seeded stream. */
function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
