// The venue's HTTP API (contracts §5): GET /ledger?after=SEQ&limit=N, GET /health.
import { createServer, type Server } from 'node:http';
import type { Ledger } from './ledger.ts';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

function intParam(v: string | null, name: string, dflt: number, min: number, max: number): number | string {
  if (v === null) return dflt;
  if (!/^\d+$/.test(v)) return `killdrill: query parameter '${name}' must be a non-negative integer, got '${v.slice(0, 40)}'`;
  const n = Number(v);
  if (n < min || n > max) return `killdrill: query parameter '${name}' must be between ${min} and ${max}`;
  return n;
}

export function createVenueHttp(ledger: Ledger, startedAt: number): Server {
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
    if (url.pathname !== '/ledger' && url.pathname !== '/health') return send(404, { error: `killdrill: no such endpoint ${url.pathname}; use GET /ledger or GET /health` });
    if (req.method !== 'GET') return send(405, { error: `killdrill: ${url.pathname} accepts GET only` });
    if (url.pathname === '/health') return send(200, { ok: true, pid: process.pid, startedAt, effects: ledger.lastSeq });
    for (const k of url.searchParams.keys()) if (k !== 'after' && k !== 'limit') return send(400, { error: `killdrill: unknown query parameter '${k.slice(0, 40)}'; use after and limit` });
    const after = intParam(url.searchParams.get('after'), 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    if (typeof after === 'string') return send(400, { error: after });
    const limit = intParam(url.searchParams.get('limit'), 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
    if (typeof limit === 'string') return send(400, { error: limit });
    send(200, ledger.pageJson(after, limit));
  });
}
