// Seed 003's consecutive-losses breaker (EXEC_CB_MAX_CONSECUTIVE_LOSSES): a request-time gate at
// the execution boundary, on the ledger's fills with FIFO attribution. Each fill the venue reports
// (price, side, qty) is matched against the bot's oldest open lots of the other side; a fill that
// closes any quantity is a closing event with its realized P&L. When a bot's last `max` closing
// events all lost, the gateway refuses its new orders (cancels and closes pass) until a closing
// event wins or `cooldownMs` has passed (a fill or an order after it ends the trip, and the streak
// starts over). Every transition is a `breaker` line in the gateway's
// journal (contracts/records.ts JournalBreaker, host `gateway`).
import type { JournalBreaker } from '../../contracts/index.ts';

export interface Fill {
  bot: string;
  asset: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  at: number;
}

export type LossRecord = Omit<JournalBreaker, 'type' | 'host' | 'daemon' | 'pid'>;

/** An open lot: signed quantity (+ long, − short) at its fill price. */
interface Lot {
  qty: number;
  price: number;
}

interface BotState {
  lots: Lot[];
  streak: number;
  asset: string;
  trippedAt: number | null;
}

export interface LossBreakerOptions {
  max: number;
  cooldownMs: number;
  write: (r: LossRecord) => void;
  /** Bug loss-breaker-counts-opens: every fill is an event, and an opening fill (no P&L) ends the streak. */
  countsOpens?: boolean;
}

export class LossBreaker {
  private readonly bots = new Map<string, BotState>();
  private readonly o: LossBreakerOptions;
  /** Replaying history (a restart's rebuild): transitions are not journaled again. */
  private quiet = false;

  constructor(o: LossBreakerOptions) {
    this.o = o;
  }

  private state(bot: string, asset: string): BotState {
    let s = this.bots.get(bot);
    if (!s) this.bots.set(bot, (s = { lots: [], streak: 0, asset, trippedAt: null }));
    return s;
  }

  /** FIFO: the fill closes the oldest lots of the other side first; the rest opens a lot. Returns the realized P&L, null when it closed nothing. */
  static attribute(lots: Lot[], side: 'buy' | 'sell', qty: number, price: number): number | null {
    let q = side === 'buy' ? qty : -qty;
    let realized = 0;
    let closed = 0;
    while (q !== 0 && lots.length && Math.sign(lots[0].qty) !== Math.sign(q)) {
      const lot = lots[0];
      const dir = Math.sign(lot.qty);
      const m = Math.min(Math.abs(q), Math.abs(lot.qty));
      realized += m * (price - lot.price) * dir;
      closed += m;
      lot.qty -= dir * m;
      q += dir * m;
      if (lot.qty === 0) lots.shift();
    }
    if (q !== 0) lots.push({ qty: q, price });
    return closed > 0 ? realized : null;
  }

  fill(f: Fill): void {
    const s = this.state(f.bot, f.asset);
    s.asset = f.asset;
    // A trip whose cooldown ran out ends before this fill counts: the streak starts over.
    if (s.trippedAt !== null && f.at - s.trippedAt >= this.o.cooldownMs) this.reset(f.bot, s, f.at, `cooldown of ${(this.o.cooldownMs / 1000).toFixed(1)} s over`);
    const pnl = LossBreaker.attribute(s.lots, f.side, f.qty, f.price);
    if (pnl === null) {
      if (this.o.countsOpens) s.streak = 0;
      return;
    }
    if (pnl >= 0) {
      s.streak = 0;
      if (s.trippedAt !== null) this.reset(f.bot, s, f.at, `a closing fill won ${pnl.toFixed(2)}`);
      return;
    }
    s.streak++;
    if (s.streak >= this.o.max && s.trippedAt === null) {
      s.trippedAt = f.at;
      this.emit({ bot: f.bot, asset: f.asset, breaker: 'consecutive-losses', event: 'tripped', at: f.at, detail: `${s.streak} consecutive losing closes (FIFO), the last ${pnl.toFixed(2)}; new orders refused for ${(this.o.cooldownMs / 1000).toFixed(1)} s`, losses: s.streak });
    }
  }

  /** Whether a new order of this bot is refused now (a cooldown that ran out resets it first). */
  blocks(bot: string, now: number): boolean {
    const s = this.bots.get(bot);
    if (!s || s.trippedAt === null) return false;
    if (now - s.trippedAt < this.o.cooldownMs) return true;
    this.reset(bot, s, now, `cooldown of ${(this.o.cooldownMs / 1000).toFixed(1)} s over`);
    return false;
  }

  /** Rebuilds the state from fills already on the ledger (a restarted gateway), journaling nothing. */
  replay(fills: Iterable<Fill>): number {
    this.quiet = true;
    let n = 0;
    try {
      for (const f of fills) {
        this.fill(f);
        n++;
      }
    } finally {
      this.quiet = false;
    }
    return n;
  }

  private reset(bot: string, s: BotState, at: number, why: string): void {
    s.trippedAt = null;
    s.streak = 0;
    this.emit({ bot, asset: s.asset, breaker: 'consecutive-losses', event: 'reset', at, detail: why });
  }

  private emit(r: LossRecord): void {
    if (!this.quiet) this.o.write(r);
  }
}
