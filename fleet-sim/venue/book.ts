// The venue's book (contracts §5): what rests at the venue and each bot's net position, derived
// from the ledger so a restart rebuilds it (the ledger is replayed on load). The venue decides
// what an effect did and records it on the effect's ledger line as `book`:
//   order type 'limit'            → 'rests' (open until its bot cancels it by orderKey = its key)
//   order type 'market' (default) → 'fill'  (the bot's net position moves by ±qty at once)
//   close                         → 'fill'  (a fill in its side)
//   cancel of an open order of the same bot → 'cancelled'; of anything else → 'not-open'
//   action                        → nothing (no `book` field)
import type { BookOutcome, Effect } from '../../contracts/index.ts';
import type { Ledger } from './ledger.ts';

export type { BookOutcome };

export interface OpenOrder {
  seq: number;
  key: string;
  bot: string;
  asset: string;
  side: 'buy' | 'sell' | null;
  qty: number;
  receivedAt: number;
}

export class Book {
  private readonly open = new Map<string, OpenOrder>();
  private readonly net = new Map<string, number>();

  /** What this effect does to the book (nothing changes yet). */
  decide(e: Effect): BookOutcome | undefined {
    switch (e.kind) {
      case 'order':
        return e.type === 'limit' ? 'rests' : 'fill';
      case 'close':
        return 'fill';
      case 'cancel': {
        const o = e.orderKey === undefined ? undefined : this.open.get(e.orderKey);
        return o && o.bot === e.bot ? 'cancelled' : 'not-open';
      }
      default:
        return undefined;
    }
  }

  /** Applies an effect the ledger recorded with its outcome. */
  record(e: Effect & { seq: number; receivedAt: number }, outcome: BookOutcome | undefined): void {
    if (outcome === 'rests') this.open.set(e.key, { seq: e.seq, key: e.key, bot: e.bot, asset: e.asset, side: e.side ?? null, qty: e.qty ?? 0, receivedAt: e.receivedAt });
    else if (outcome === 'cancelled' && e.orderKey !== undefined) this.open.delete(e.orderKey);
    else if (outcome === 'fill') {
      const q = (e.qty ?? 0) * (e.side === 'sell' ? -1 : e.side === 'buy' ? 1 : 0);
      this.net.set(e.bot, (this.net.get(e.bot) ?? 0) + q);
    }
  }

  /** Rebuilds the book from every line of the ledger (the outcome each line recorded; decided anew for lines without one). */
  static fromLedger(ledger: Ledger): Book {
    const b = new Book();
    for (let after = 0; after < ledger.lastSeq; ) {
      const page = ledger.page(after, 10_000);
      for (const e of page.effects) b.record(e, e.book ?? b.decide(e));
      if (page.next <= after) break;
      after = page.next;
    }
    return b;
  }

  /** Open orders in seq order, optionally of one bot. */
  openOrders(bot?: string): OpenOrder[] {
    const all = [...this.open.values()];
    return (bot === undefined ? all : all.filter((o) => o.bot === bot)).sort((a, b) => a.seq - b.seq);
  }

  /** Every bot that ever had a fill, with its net position (0 = flat), optionally one bot. */
  positions(bot?: string): Array<{ bot: string; net: number }> {
    const all = [...this.net.entries()].map(([b, net]) => ({ bot: b, net }));
    return (bot === undefined ? all : all.filter((p) => p.bot === bot)).sort((a, b) => (a.bot < b.bot ? -1 : a.bot > b.bot ? 1 : 0));
  }
}
