// The venue's HTTP API (contracts §5): GET /ledger?after=SEQ&limit=N, GET /orders?open=1[&bot=SLUG],
// GET /positions[?bot=SLUG], GET /bars[?asset=A&n=N] (the market-data feed), GET /health. Unknown or malformed query parameters are a 400.
import { createServer, type Server } from 'node:http';
import type { Ledger } from './ledger.ts';
import type { Book } from './book.ts';
import type { MarketFeed } from './market-data.ts';
import { MAX_BARS } from './market-data.ts';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
const ENDPOINTS = ['/ledger', '/orders', '/positions', '/bars', '/health'];
/** Query parameters each endpoint accepts. */
const PARAMS: Record<string, string[]> = { '/ledger': ['after', 'limit'], '/orders': ['open', 'bot'], '/positions': ['bot'], '/bars': ['asset', 'n'], '/health': [] };

function intParam(v: string | null, name: string, dflt: number, min: number, max: number): number | string {
  if (v === null) return dflt;
  if (!/^\d+$/.test(v)) return `killdrill: query parameter '${name}' must be a non-negative integer, got '${v.slice(0, 40)}'`;
  const n = Number(v);
  if (n < min || n > max) return `killdrill: query parameter '${name}' must be between ${min} and ${max}`;
  return n;
}

/** The `bot` filter: absent, or one non-empty slug of at most 200 characters. */
function botParam(q: URLSearchParams): string | undefined | { error: string } {
  const all = q.getAll('bot');
  if (all.length === 0) return undefined;
  if (all.length > 1 || all[0] === '' || all[0].length > 200) return { error: "killdrill: query parameter 'bot' must be one bot slug (1–200 characters)" };
  return all[0];
}

export function createVenueHttp(ledger: Ledger, book: Book, startedAt: number, feed?: MarketFeed): Server {
  return createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return send(400, { error: 'killdrill: unreadable request URL' });
    }
    const p = url.pathname;
    if (!ENDPOINTS.includes(p)) return send(404, { error: `killdrill: no such endpoint ${p}; use GET ${ENDPOINTS.join(', GET ')}` });
    if (req.method !== 'GET') return send(405, { error: `killdrill: ${p} accepts GET only` });
    const q = url.searchParams;
    for (const k of q.keys()) if (!PARAMS[p].includes(k)) return send(400, { error: `killdrill: unknown query parameter '${k.slice(0, 40)}' for ${p}${PARAMS[p].length ? `; use ${PARAMS[p].join(' and ')}` : ''}` });
    if (p === '/health') return send(200, { ok: true, pid: process.pid, startedAt, effects: ledger.lastSeq });
    if (p === '/bars') {
      if (!feed) return send(404, { error: 'killdrill: this venue has no market-data feed' });
      const n = intParam(q.get('n'), 'n', 40, 1, MAX_BARS);
      if (typeof n === 'string') return send(400, { error: n });
      const asset = q.get('asset') ?? undefined;
      if (asset !== undefined && !feed.assets.includes(asset)) return send(404, { error: `killdrill: no market data for asset '${asset.slice(0, 40)}'; the feed has ${feed.assets.join(', ')}` });
      return send(200, { barMs: feed.barMs, bars: feed.latest(n, asset) });
    }
    if (p === '/orders' || p === '/positions') {
      const bot = botParam(q);
      if (typeof bot === 'object') return send(400, bot);
      // `seq`: the last ledger seq the answer includes, to place it against GET /ledger.
      if (p === '/positions') return send(200, { positions: book.positions(bot), seq: ledger.lastSeq });
      if (q.getAll('open').length !== 1 || q.get('open') !== '1') return send(400, { error: "killdrill: GET /orders needs open=1 (only open orders are served; GET /ledger has every effect)" });
      return send(200, { orders: book.openOrders(bot), seq: ledger.lastSeq });
    }
    const after = intParam(q.get('after'), 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    if (typeof after === 'string') return send(400, { error: after });
    const limit = intParam(q.get('limit'), 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    if (typeof limit === 'string') return send(400, { error: limit });
    send(200, ledger.pageJson(after, limit));
  });
}
