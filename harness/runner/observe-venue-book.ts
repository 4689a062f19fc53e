// The venue's own book once every in-scope bot is Stopped (docs/contracts.md §5): GET /orders?open=1
// and GET /positions, kept for the in-scope bots, as one `venue-book` op; mode-work-done checks it
// against the book it derives from the ledger. A failed read is recorded as such (never dropped).
import { nowMs } from '../../contracts/index.ts';
import type { Emit } from './emit.ts';
import type { VenueOrder } from '../history/ops.ts';
import { getJson } from '../../lib/http.ts';

function get<T>(url: string): Promise<T> {
  return getJson<T>(url, { timeoutMs: 5000, error: (status, _text, path) => `killdrill: venue GET ${path} answered ${status}; a venue without GET /orders and GET /positions cannot show the mode's work` });
}

export async function observeVenueBook(venueUrl: string, inScope: string[], emit: Emit): Promise<void> {
  const at = nowMs();
  const mine = new Set(inScope);
  try {
    const o = await get<{ orders: VenueOrder[]; seq: number }>(`${venueUrl}/orders?open=1`);
    const p = await get<{ positions: Array<{ bot: string; net: number }>; seq: number }>(`${venueUrl}/positions`);
    const orders = o.orders.filter((x) => mine.has(x.bot)).map(({ seq, key, bot, side, qty }) => ({ seq, key, bot, side, qty }));
    emit({ type: 'venue-book', ok: true, at, bots: inScope, ordersSeq: o.seq, positionsSeq: p.seq, orders, positions: p.positions.filter((x) => mine.has(x.bot)) });
  } catch (err) {
    emit({ type: 'venue-book', ok: false, at, error: err instanceof Error ? err.message : String(err) });
  }
}
