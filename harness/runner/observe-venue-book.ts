// The venue's own book once every in-scope bot is Stopped (docs/contracts.md §5): GET /orders?open=1
// and GET /positions, kept for the in-scope bots, as one `venue-book` op; mode-work-done checks it
// against the book it derives from the ledger. A failed read is recorded as such (never dropped).
import { nowMs } from '../../contracts/index.ts';
import type { Emit } from './emit.ts';
import type { VenueOrder } from '../history/ops.ts';
import { getJson } from '../../lib/http.ts';
import type { WireSource } from '../runtime/index.ts';

function get<T>(url: string, token: string | undefined): Promise<T> {
  return getJson<T>(url, { timeoutMs: 5000, ...(token !== undefined ? { token } : {}), error: (status, _text, path) => `killdrill: venue GET ${path} answered ${status}; a venue without GET /orders and GET /positions cannot show the mode's work` });
}

/** `venue` absent (a target that names no venue.url): recorded as a failed read, so mode-work-done says it could not cross-check. */
export async function observeVenueBook(venue: WireSource | undefined, inScope: string[], emit: Emit): Promise<void> {
  const at = nowMs();
  const mine = new Set(inScope);
  if (!venue) {
    emit({ type: 'venue-book', ok: false, at, error: "the target names no venue.url, so the venue's own book (GET /orders?open=1, GET /positions) cannot be read" });
    return;
  }
  const base = venue.url.replace(/\/+$/, '');
  try {
    const o = await get<{ orders: VenueOrder[]; seq: number }>(`${base}/orders?open=1`, venue.token);
    const p = await get<{ positions: Array<{ bot: string; net: number }>; seq: number }>(`${base}/positions`, venue.token);
    const orders = o.orders.filter((x) => mine.has(x.bot)).map(({ seq, key, bot, side, qty }) => ({ seq, key, bot, side, qty }));
    emit({ type: 'venue-book', ok: true, at, bots: inScope, ordersSeq: o.seq, positionsSeq: p.seq, orders, positions: p.positions.filter((x) => mine.has(x.bot)) });
  } catch (err) {
    emit({ type: 'venue-book', ok: false, at, error: err instanceof Error ? err.message : String(err) });
  }
}
