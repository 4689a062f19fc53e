// The gateway's throttle (gatewayMaxInFlight) over a real socket, with a venue that answers only
// when the test lets it (a stand-in for one module's dependency): past the bound an order or an
// action is refused at once as overloaded, a cancel and a close still go to the venue, and the
// bound frees up as the venue answers.
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo, Server } from 'node:net';
import type { Redis } from 'ioredis';
import { NdjsonClient } from './ndjson-client.ts';
import { createGatewayServer, OVERLOADED, type Throttle } from './server.ts';

const base = { bot: 'mm-a', fleet: 'market-making', tenant: 'tenant-a', group: 'bots', asset: 'AAPL', capability: 'mm', run: 'run-mm-a' };

function slowVenue() {
  const held: Array<{ kind: string; answer: () => void }> = [];
  let seq = 0;
  const venue = {
    request: (fields: { kind: string }) =>
      new Promise((resolve) => held.push({ kind: fields.kind, answer: () => resolve({ ok: true, reply: { ok: true, seq: ++seq, receivedAt: Date.now() } }) })),
  };
  return { venue: venue as unknown as NdjsonClient, held };
}

describe('gateway throttle', () => {
  let server: Server | undefined;
  let client: NdjsonClient | undefined;
  afterEach(async () => {
    client?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  it('refuses orders and actions past maxInFlight as overloaded, never a cancel or a close', async () => {
    const { venue, held } = slowVenue();
    const throttle: Throttle = { maxInFlight: 2, shed: 0 };
    server = createGatewayServer({ redis: {} as Redis, venue, prefix: 'alphaswarm:bots:killswitch', defaultMode: 'cancel', check: false, throttle });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    client = new NdjsonClient({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, name: 'gateway', timeoutMs: 5000 });
    await client.waitConnected(2000);
    let n = 0;
    const send = (kind: string) => client!.request({ ...base, key: `k${++n}`, kind, side: 'buy', qty: 1, dispatchedAt: Date.now() });

    const first = [send('order'), send('action')];
    await expect.poll(() => held.length).toBe(2);
    const refused = await Promise.all([send('order'), send('action')]);
    for (const r of refused) {
      expect(r).toMatchObject({ ok: true, reply: { ok: false, retryable: true, status: 503, code: 'overloaded', error: OVERLOADED } });
    }
    expect(throttle.shed).toBe(2);
    // The kill's work is not load: it still reaches the venue.
    const work = [send('cancel'), send('close')];
    await expect.poll(() => held.map((h) => h.kind)).toEqual(['order', 'action', 'cancel', 'close']);

    for (const h of held.splice(0)) h.answer();
    for (const r of await Promise.all([...first, ...work])) expect(r).toMatchObject({ ok: true, reply: { ok: true } });
    // Answered: the bound is free again.
    const again = send('order');
    await expect.poll(() => held.length).toBe(1);
    held[0].answer();
    expect(await again).toMatchObject({ ok: true, reply: { ok: true } });
    expect(throttle.shed).toBe(2);
  });
});
