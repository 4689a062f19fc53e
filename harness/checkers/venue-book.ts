// The venue's book rebuilt from the ledger as the history recorded it (docs/contracts.md §5): each
// effect op carries what the venue did with it (`book`): 'rests' opens an order under its key,
// 'cancelled' removes the order its `orderKey` names, 'fill' moves its bot's net position by ±qty.
// The harness's own reading of the venue's records; nothing here comes from the fleet's code.
import type { EffectBookFields, EffectOp } from '../history/index.ts';

export type BookEffect = EffectOp & EffectBookFields;

export interface RestingOrder {
  seq: number;
  key: string;
  side: string | null;
  qty: number | null;
  receivedAt: number;
}

/** One bot's open orders and net position after the effects it was given, in the venue's seq order. */
export class BotBook {
  readonly open = new Map<string, RestingOrder>();
  net = 0;

  apply(e: BookEffect): void {
    if (e.book === 'rests') this.open.set(e.key, { seq: e.seq, key: e.key, side: e.side ?? null, qty: e.qty ?? null, receivedAt: e.receivedAt });
    else if (e.book === 'cancelled' && e.orderKey !== undefined) this.open.delete(e.orderKey);
    else if (e.book === 'fill') this.net += (e.qty ?? 0) * (e.side === 'buy' ? 1 : e.side === 'sell' ? -1 : 0);
  }

  static of(effects: readonly BookEffect[]): BotBook {
    const b = new BotBook();
    for (const e of effects) b.apply(e);
    return b;
  }
}

/** Effects the book needs the venue's account of: everything but agents' actions. */
export const BOOK_KINDS = new Set(['order', 'cancel', 'close']);
