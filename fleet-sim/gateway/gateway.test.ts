// The gateway as a real process between a real redis-server and the venue: the kill check
// per mode, fail closed when Redis is gone, garbage input, and gatewayCheck off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { startTestFleet, waitFor, type TestFleet } from '../daemon/test-fleet.ts';
import { NdjsonClient } from './ndjson-client.ts';

const PREFIX = 'alphaswarm:bots:killswitch';
const base = { bot: 'mm-a', fleet: 'market-making', tenant: 'tenant-a', group: 'bots', asset: 'AAPL', capability: 'mm', run: 'run-mm-a' };
let n = 0;
const effect = (kind: string, o: Record<string, unknown> = {}) => ({ ...base, key: `gw-${++n}`, kind, side: 'buy', qty: 1, dispatchedAt: Date.now(), ...o });

async function send(c: NdjsonClient, kind: string, o: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await c.request(effect(kind, o));
  if (!r.ok) throw new Error(r.error);
  return r.reply;
}

describe('gateway with gatewayCheck', () => {
  let t: TestFleet;
  let c: NdjsonClient;
  beforeAll(async () => {
    t = await startTestFleet([], {}, { daemons: false });
    c = new NdjsonClient({ host: '127.0.0.1', port: t.fleet.ports.gatewayTcp, name: 'gateway' });
    await c.waitConnected(5000);
  });
  afterAll(async () => {
    c?.close();
    await t?.close();
  });

  it('forwards when nothing is engaged and rejects what each mode forbids', async () => {
    expect(await send(c, 'order')).toMatchObject({ ok: true });
    await t.redis.set(`${PREFIX}:fleet:market-making`, 'manual-emergency'); // defaultMode cancel
    const rejected = await send(c, 'order');
    expect(rejected).toMatchObject({ ok: false, retryable: false });
    expect(String(rejected.error)).toMatch(/^killdrill: kill switch engaged .*fleet:market-making/);
    expect(await send(c, 'cancel', { orderKey: 'gw-1' })).toMatchObject({ ok: true });
    expect(await send(c, 'close')).toMatchObject({ ok: false });
    expect(await send(c, 'order', { bot: 'other', fleet: 'stat-arb', run: 'run-other' })).toMatchObject({ ok: true });

    await t.redis.set(`${PREFIX}:asset:AAPL`, JSON.stringify({ mode: 'flatten', reason: 'drill' }));
    expect(await send(c, 'close')).toMatchObject({ ok: true });
    expect(await send(c, 'action')).toMatchObject({ ok: false });

    await t.redis.set(`${PREFIX}:run:run-mm-a`, JSON.stringify({ mode: 'freeze', reason: 'drill' }));
    expect(await send(c, 'cancel', { orderKey: 'gw-1' })).toMatchObject({ ok: false });
    expect(await send(c, 'close')).toMatchObject({ ok: false });

    await t.redis.del(`${PREFIX}:fleet:market-making`, `${PREFIX}:asset:AAPL`, `${PREFIX}:run:run-mm-a`);
    expect(await send(c, 'order')).toMatchObject({ ok: true });
    const landed = await t.ledger();
    expect(landed.some((e) => e.kind === 'close')).toBe(true);
    expect(landed.filter((e) => e.bot === 'mm-a' && e.kind === 'order')).toHaveLength(2);
  });

  it("checks a child run's effect against its parent's run key (seed 004: a child is in its parent's scope)", async () => {
    const child = { run: 'run-mm-a.c0', parentRun: 'run-mm-a' };
    expect(await send(c, 'action', child)).toMatchObject({ ok: true });
    await t.redis.set(`${PREFIX}:run:run-mm-a`, JSON.stringify({ mode: 'freeze', reason: 'parent run kill' }));
    try {
      const r = await send(c, 'action', child);
      expect(r).toMatchObject({ ok: false, retryable: false });
      expect(String(r.error)).toMatch(/run:run-mm-a,/);
      // Without its lineage (bug agent-children-after-kill) the boundary cannot know: it lands.
      expect(await send(c, 'action', { run: 'run-mm-a.c0' })).toMatchObject({ ok: true });
      // Another run's child is not in scope.
      expect(await send(c, 'action', { bot: 'other', run: 'run-other.c0', parentRun: 'run-other' })).toMatchObject({ ok: true });
    } finally {
      await t.redis.del(`${PREFIX}:run:run-mm-a`);
    }
    for (const bad of ['', 7]) {
      const r = await send(c, 'action', { ...child, parentRun: bad });
      expect(r).toMatchObject({ ok: false, retryable: false });
      expect(String(r.error)).toMatch(/^killdrill: parentRun, when sent, must be a non-empty string/);
    }
  });

  it('survives garbage lines', async () => {
    const s = connect({ host: '127.0.0.1', port: t.fleet.ports.gatewayTcp });
    const lines = createInterface({ input: s });
    const got: Array<Record<string, unknown>> = [];
    lines.on('line', (l) => got.push(JSON.parse(l)));
    s.write('garbage\n{"id":3}\n\u0000\u00ff\n{"id":4,"key":"k","kind":"order"}\n');
    await waitFor('four error replies', () => got.length >= 4);
    for (const r of got) expect(String(r.error)).toMatch(/^killdrill: /);
    s.destroy();
    expect(await send(c, 'order')).toMatchObject({ ok: true });
  });

  it('fails closed when Redis is unreachable: only cancels pass', async () => {
    await t.stopRedis();
    const r = await send(c, 'order');
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(String(r.error)).toMatch(/^killdrill: gateway cannot read the kill state/);
    expect(await send(c, 'action')).toMatchObject({ ok: false });
    expect(await send(c, 'cancel', { orderKey: 'x' })).toMatchObject({ ok: true });
    await t.startRedis();
    await waitFor('the gateway to reconnect to Redis', async () => (await send(c, 'order')).ok === true);
  });
});

describe('gateway without gatewayCheck', () => {
  it('forwards everything, even with the platform key engaged', async () => {
    const t = await startTestFleet([], { gatewayCheck: false }, { daemons: false });
    const c = new NdjsonClient({ host: '127.0.0.1', port: t.fleet.ports.gatewayTcp, name: 'gateway' });
    try {
      await c.waitConnected(5000);
      await t.redis.set(`${PREFIX}:platform:platform`, JSON.stringify({ mode: 'freeze', reason: 'x' }));
      expect(await send(c, 'order')).toMatchObject({ ok: true });
      expect((await t.ledger()).length).toBe(1);
    } finally {
      c.close();
      await t.close();
    }
  });
});
