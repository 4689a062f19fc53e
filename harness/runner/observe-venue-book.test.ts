// observe-venue-book alone: keeps the in-scope bots' entries with the venue's seqs, and records a
// failed read as a failed op (mode-work-done then says unknown), never nothing. The venue is a stand-in
// HTTP server here (a unit test of this one module); the real venue's answers are tested in
// fleet-sim/venue/book.test.ts and end to end by the mode-work scenarios.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { observeVenueBook } from './observe-venue-book.ts';

let server: Server;
let url = '';
let answer: (path: string) => [number, unknown] = () => [404, {}];

beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const collect = async (inScope: string[]) => {
  const ops: Array<Record<string, unknown>> = [];
  await observeVenueBook({ url }, inScope, (op) => void ops.push(op));
  return ops;
};

describe('observe-venue-book', () => {
  it('records the in-scope bots of GET /orders?open=1 and GET /positions with their seqs', async () => {
    answer = (p) =>
      p === '/orders?open=1'
        ? [200, { orders: [{ seq: 3, key: 'q1', bot: 'a', asset: 'X', side: 'buy', qty: 1, receivedAt: 5 }, { seq: 4, key: 'q2', bot: 'b', asset: 'X', side: 'sell', qty: 2, receivedAt: 6 }], seq: 10 }]
        : p === '/positions'
          ? [200, { positions: [{ bot: 'a', net: 0 }, { bot: 'c', net: 4 }], seq: 11 }]
          : [404, {}];
    const [op, ...rest] = await collect(['a']);
    expect(rest).toEqual([]);
    expect(op).toMatchObject({ type: 'venue-book', ok: true, bots: ['a'], ordersSeq: 10, positionsSeq: 11, orders: [{ seq: 3, key: 'q1', bot: 'a', side: 'buy', qty: 1 }], positions: [{ bot: 'a', net: 0 }] });
  });

  it('a venue without the endpoints is a failed read, saying so', async () => {
    answer = () => [404, { error: 'no such endpoint' }];
    const [op] = await collect(['a']);
    expect(op).toMatchObject({ type: 'venue-book', ok: false });
    expect(String(op.error)).toMatch(/^killdrill: venue GET \/orders answered 404/);
  });

  it('a target that names no venue is a failed read too (mode-work-done then cannot cross-check), never an empty book', async () => {
    const ops: Array<Record<string, unknown>> = [];
    await observeVenueBook(undefined, ['a'], (op) => void ops.push(op));
    expect(ops).toEqual([expect.objectContaining({ type: 'venue-book', ok: false, error: expect.stringMatching(/names no venue\.url/) })]);
  });
});
