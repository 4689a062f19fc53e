// The venue's book (contracts §5) as a real process: limit orders rest until their bot cancels
// them, market orders and closes fill, GET /orders?open=1 and GET /positions answer from it with
// strict query validation, and a restart rebuilds it from the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { startTestFleet, type TestFleet } from '../daemon/test-fleet.ts';

let n = 0;
function effect(bot: string, fields: Record<string, unknown>) {
  return { id: ++n, key: `book-${n}`, bot, fleet: 'f', tenant: 't', group: 'bots', asset: 'AAPL', capability: 'c', run: 'r', dispatchedAt: Date.now(), ...fields };
}

/** Sends effects over one connection, returns their replies in order. */
async function send(port: number, effects: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const s = connect({ host: '127.0.0.1', port });
  await new Promise((r) => s.once('connect', r));
  const replies: Array<Record<string, unknown>> = [];
  const done = new Promise<void>((resolve) => {
    createInterface({ input: s }).on('line', (l) => {
      replies.push(JSON.parse(l) as Record<string, unknown>);
      if (replies.length === effects.length) resolve();
    });
  });
  s.write(`${effects.map((e) => JSON.stringify(e)).join('\n')}\n`);
  await done;
  s.destroy();
  return replies;
}

type Orders = { orders: Array<{ key: string; bot: string; side: string; qty: number; seq: number }>; seq: number };
type Positions = { positions: Array<{ bot: string; net: number }>; seq: number };

describe('venue book', () => {
  let t: TestFleet;
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${t.venueUrl}${path}`)).json()) as T;
  beforeAll(async () => {
    t = await startTestFleet([], {}, { gateway: false, daemons: false });
  });
  afterAll(async () => t?.close());

  it('rests limit orders until their own bot cancels them; market orders and closes fill', async () => {
    const [l1, l2, l3] = [effect('hft-a', { kind: 'order', type: 'limit', side: 'buy', qty: 3 }), effect('hft-a', { kind: 'order', type: 'limit', side: 'sell', qty: 2 }), effect('hft-b', { kind: 'order', type: 'limit', side: 'buy', qty: 1 })];
    const replies = await send(t.fleet.ports.venueTcp, [
      l1, l2, l3,
      effect('hft-a', { kind: 'cancel', orderKey: l1.key }),
      effect('hft-a', { kind: 'cancel', orderKey: l3.key }), // not its own order: not-open
      effect('std-a', { kind: 'order', type: 'market', side: 'buy', qty: 5 }),
      effect('std-a', { kind: 'order', side: 'sell', qty: 2 }), // no type: market
      effect('std-b', { kind: 'order', type: 'market', side: 'sell', qty: 4 }),
      effect('std-b', { kind: 'close', side: 'buy', qty: 4 }),
      effect('agent-a', { kind: 'action' }),
    ]);
    expect(replies.every((r) => r.ok === true || r.retryable === true)).toBe(true);
    const open = await get<Orders>('/orders?open=1');
    expect(open.orders.map((o) => o.key)).toEqual([l2.key, l3.key]);
    expect(open.orders[0]).toMatchObject({ bot: 'hft-a', side: 'sell', qty: 2 });
    expect(open.seq).toBe(10);
    expect((await get<Orders>('/orders?open=1&bot=hft-b')).orders.map((o) => o.key)).toEqual([l3.key]);
    expect((await get<Orders>('/orders?open=1&bot=nobody')).orders).toEqual([]);
    expect((await get<Positions>('/positions')).positions).toEqual([{ bot: 'std-a', net: 3 }, { bot: 'std-b', net: 0 }]);
    expect((await get<Positions>('/positions?bot=std-a')).positions).toEqual([{ bot: 'std-a', net: 3 }]);
    // What the venue did is on each ledger line.
    const books = (await t.ledger()).map((e) => (e as { book?: string }).book);
    expect(books).toEqual(['rests', 'rests', 'rests', 'cancelled', 'not-open', 'fill', 'fill', 'fill', 'fill', undefined]);
  });

  it('rejects a type on anything but an order, and unknown types', async () => {
    const r = await send(t.fleet.ports.venueTcp, [effect('x', { kind: 'order', type: 'stop' }), effect('x', { kind: 'cancel', type: 'limit', orderKey: 'k' })]);
    for (const x of r) {
      expect(x.ok).toBe(false);
      expect(String(x.error)).toMatch(/^killdrill: type/);
    }
  });

  it('validates the queries of /orders and /positions strictly', async () => {
    for (const q of ['/orders', '/orders?open=0', '/orders?open=true', '/orders?open=1&open=1', '/orders?open=1&bot=', '/orders?open=1&bot=a&bot=b', '/orders?open=1&limit=5', `/orders?open=1&bot=${'x'.repeat(201)}`, '/positions?open=1', '/positions?bot=', '/health?x=1']) {
      const r = await fetch(`${t.venueUrl}${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: string }).error, q).toMatch(/^killdrill: /);
    }
    expect((await fetch(`${t.venueUrl}/orders?open=1`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${t.venueUrl}/order`)).status).toBe(404);
  });

  it('rebuilds the book from the ledger after a restart (SIGKILL)', async () => {
    const orders = await get<Orders>('/orders?open=1');
    const positions = await get<Positions>('/positions');
    const v = t.procs.get('venue')!;
    v.child.kill('SIGKILL');
    await v.exited;
    await t.startVenue();
    expect(await get<Orders>('/orders?open=1')).toEqual(orders);
    expect(await get<Positions>('/positions')).toEqual(positions);
    // …and keeps applying effects on top of it.
    const cancel = effect('hft-a', { kind: 'cancel', orderKey: orders.orders[0].key });
    await send(t.fleet.ports.venueTcp, [cancel, effect('std-a', { kind: 'close', side: 'sell', qty: 3 })]);
    expect((await get<Orders>('/orders?open=1')).orders.map((o) => o.key)).toEqual([orders.orders[1].key]);
    expect((await get<Positions>('/positions?bot=std-a')).positions).toEqual([{ bot: 'std-a', net: 0 }]);
  });
});
