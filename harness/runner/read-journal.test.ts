// readJournal: the journals over the broker's GET /journal (a stand-in broker on 127.0.0.1 that
// pages like the real one, fleet-sim/broker/broker-journal.test.ts tests the real one), one journal
// op per key, a retry under the same key kept as reintentsAt, a broker briefly away retried, and a
// broker that cannot give the journal recorded as observer-failed (never silently an empty journal).
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { emitJournalOps, fetchJournal, readJournal } from './read-journal.ts';

const lines = [
  { type: 'intent', key: 'k1', bot: 'ag', kind: 'action', at: 100 },
  { type: 'outcome', key: 'k1', bot: 'ag', status: 'rejected', at: 105 },
  { type: 'intent', key: 'k2', bot: 'ag', kind: 'action', at: 200 },
  { type: 'intent', key: 'k1', bot: 'ag', kind: 'action', at: 500 },
  { type: 'outcome', key: 'k1', bot: 'ag', status: 'landed', seq: 7, at: 505 },
];
const expected = [
  { type: 'journal', bot: 'ag', key: 'k1', kind: 'action', intentAt: 100, outcome: 'landed', seq: 7, reintentsAt: [500] },
  { type: 'journal', bot: 'ag', key: 'k2', kind: 'action', intentAt: 200, outcome: null, seq: null },
];

let server: Server | null = null;
afterEach(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = null;
});

/** A stand-in broker: pages `entries` by `limit`, cursor = the index; `failFirst` requests answer `status`. */
async function standIn(entries: unknown[], opts: { failFirst?: number; status?: number; token?: string } = {}): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  let failures = opts.failFirst ?? 0;
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.headers.authorization !== `Bearer ${opts.token ?? 't0k'}`) return void res.writeHead(401).end('{"error":"killdrill: unknown bearer token"}');
    if (failures > 0) {
      failures--;
      return void res.writeHead(opts.status ?? 503).end('{"error":"killdrill: busy"}');
    }
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const from = Number(q.get('after') || 0);
    const limit = Number(q.get('limit'));
    const page = entries.slice(from, from + limit);
    const next = from + page.length;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ entries: page, next: String(next), done: next >= entries.length, files: 2, skipped: 0 }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

describe('emitJournalOps', () => {
  it('keeps the first intent time and every later intent of the same key (a retry)', () => {
    const ops: Array<Record<string, unknown>> = [];
    expect(emitJournalOps(lines, (o) => void ops.push(o))).toBe(2);
    expect(ops).toEqual(expected);
  });

  it('passes a daemon\'s shutdown-gate record (contracts §6) on as a shutdown op', () => {
    const ops: Array<Record<string, unknown>> = [];
    const rec = { type: 'shutdown', event: 'drained', at: 5, host: 'node-a', daemon: 'd1', pid: 1, bootId: 'b', waitedMs: 3, refused: 0 };
    expect(emitJournalOps([rec], (o) => void ops.push(o))).toBe(0);
    expect(ops).toEqual([rec]);
  });

  it('passes a bot\'s circuit-breaker record (contracts §6, seed 003) on as a breaker op, beside the intents', () => {
    const ops: Array<Record<string, unknown>> = [];
    const rec = { type: 'breaker', bot: 'mm-aapl', asset: 'AAPL', breaker: 'market-data', event: 'tripped', at: 7, detail: 'newest AAPL bar 2.10 s old, stale past 1.00 s', lastBarAt: 1, host: 'node-a', daemon: 'd1', pid: 1 };
    expect(emitJournalOps([rec, ...lines], (o) => void ops.push(o))).toBe(2);
    expect(ops[0]).toEqual(rec);
    expect(ops.filter((o) => o.type === 'journal')).toHaveLength(2);
  });

  it('passes an agent worker\'s run journal lines (agent-step, agent-resume, …) on as ops of their type', () => {
    const ops: Array<Record<string, unknown>> = [];
    const step = { type: 'agent-step', run_id: 'r', slug: 'a', step: 1, plan: [{ slot: '1.1', tool: 'place-order', access: 'write', key: 'r:s1.1' }], worker: 'h.w1', pid: 1, at: 5 };
    const resume = { type: 'agent-resume', run_id: 'r', slug: 'a', step: 1, reenters: true, halted: true, landed: [], pending: ['r:s1.1'], worker: 'h.w1', pid: 2, previousPid: 1, at: 9 };
    expect(emitJournalOps([step, resume], (o) => void ops.push(o))).toBe(0);
    expect(ops).toEqual([step, resume]);
  });
});

describe('readJournal over the wire', () => {
  it('reads every page until done and records journal ops and journal-read', async () => {
    const b = await standIn(lines);
    const ops: Array<Record<string, unknown>> = [];
    await readJournal({ url: `${b.url}/journal`, token: 't0k' }, (o) => void ops.push(o));
    expect(ops).toEqual([...expected, { type: 'journal-read', intents: 2, files: 2 }]);
    const got = await fetchJournal({ url: `${b.url}/journal`, token: 't0k' }, { pageLimit: 2 });
    expect(got.entries).toEqual(lines);
    expect(b.requests.slice(-3)).toEqual(['/journal?limit=2', '/journal?limit=2&after=2', '/journal?limit=2&after=4']);
  });

  it('retries a broker that is briefly away (5xx), then reads it', async () => {
    const b = await standIn(lines, { failFirst: 2, status: 503 });
    const got = await fetchJournal({ url: `${b.url}/journal`, token: 't0k' }, { retryForMs: 5000 });
    expect(got.entries).toHaveLength(5);
  });

  it('a broker that refuses (4xx) or never answers is an observer-failed op, not an empty journal', async () => {
    const b = await standIn(lines);
    const ops: Array<Record<string, unknown>> = [];
    await readJournal({ url: `${b.url}/journal`, token: 'wrong' }, (o) => void ops.push(o));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ type: 'observer-failed', source: 'journal', recovered: false });
    expect(String(ops[0].error)).toMatch(/^killdrill: the broker's GET \/journal answered 401/);
    await expect(fetchJournal({ url: "http://127.0.0.1:1/journal", token: 't0k' }, { retryForMs: 300 })).rejects.toThrow(/^killdrill: the broker did not answer GET \/journal within 300 ms/);
  });
});
