// The venue as a real process: NDJSON order entry, the ledger over HTTP, garbage input,
// the ledger file surviving a restart, and the agents' transient tool-call failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { startTestFleet, type TestFleet } from '../daemon/test-fleet.ts';

function request(id: number, key: string, kind = 'order') {
  return { id, key, bot: 'mm-a', fleet: 'f', tenant: 't', group: 'bots', asset: 'AAPL', capability: 'c', run: 'r', kind, side: 'buy', qty: 1, dispatchedAt: Date.now() };
}

/** A raw TCP client: write any bytes, read reply lines in order. */
async function rawClient(port: number): Promise<{ s: Socket; next: () => Promise<Record<string, unknown>> }> {
  const s = connect({ host: '127.0.0.1', port });
  await new Promise((r) => s.once('connect', r));
  const queue: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  createInterface({ input: s }).on('line', (l) => (waiters.length ? waiters.shift()!(l) : queue.push(l)));
  const next = () => new Promise<Record<string, unknown>>((r) => (queue.length ? r(JSON.parse(queue.shift()!)) : waiters.push((l) => r(JSON.parse(l)))));
  return { s, next };
}

describe('venue', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet([], {}, { gateway: false, daemons: false });
  });
  afterAll(async () => t?.close());

  it('answers garbage lines with errors and keeps serving', async () => {
    const c = await rawClient(t.fleet.ports.venueTcp);
    const garbage = ['hello', '[1,2]', '{"id":7}', '{bad json', '\u0000\u0001\u00ff', '{"id":8,"key":"k","bot":"b","fleet":"f","tenant":"t","group":"g","asset":"a","capability":"c","run":"r","kind":"launch","dispatchedAt":1}', 'null'];
    c.s.write(`${garbage.join('\n')}\n`);
    const replies = [];
    for (let i = 0; i < garbage.length; i++) replies.push(await c.next());
    for (const r of replies) {
      expect(r.ok).toBe(false);
      expect(String(r.error)).toMatch(/^killdrill: /);
    }
    expect(replies[2].id).toBe(7);
    expect(replies[5].id).toBe(8);
    c.s.write(`${JSON.stringify(request(9, 'good-1'))}\n`);
    const ok = await c.next();
    expect(ok).toMatchObject({ id: 9, ok: true });
    expect(typeof ok.seq).toBe('number');
    // An endless line: the venue drops that connection, not itself.
    const big = await rawClient(t.fleet.ports.venueTcp);
    big.s.write('x'.repeat(1024 * 1024 + 10));
    expect((await big.next()).ok).toBe(false);
    c.s.destroy();
    big.s.destroy();
    const health = await fetch(`${t.venueUrl}/health`);
    expect(health.status).toBe(200);
  });

  it('pages the ledger and rejects bad queries', async () => {
    const c = await rawClient(t.fleet.ports.venueTcp);
    c.s.write(`${[1, 2, 3].map((i) => JSON.stringify(request(i, `page-${i}`))).join('\n')}\n`);
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push((await c.next()).seq as number);
    c.s.destroy();
    const all = await t.ledger();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const page = (await (await fetch(`${t.venueUrl}/ledger?after=${seqs[0]}&limit=1`)).json()) as { effects: Array<{ seq: number; key: string; dispatchedAt: number; receivedAt: number; bot: string; kind: string }>; next: number };
    expect(page.effects).toHaveLength(1);
    expect(page.effects[0]).toMatchObject({ seq: seqs[1], key: 'page-2', bot: 'mm-a', kind: 'order', asset: 'AAPL' });
    expect(page.effects[0].receivedAt).toBeGreaterThanOrEqual(page.effects[0].dispatchedAt - 1000);
    expect(page.next).toBe(seqs[1]);
    const empty = (await (await fetch(`${t.venueUrl}/ledger?after=999999`)).json()) as { effects: unknown[]; next: number };
    expect(empty).toEqual({ effects: [], next: 999999 });
    for (const q of ['after=abc', 'after=-1', 'limit=0', 'limit=1.5', 'limit=100000', 'bogus=1']) {
      const r = await fetch(`${t.venueUrl}/ledger?${q}`);
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/^killdrill: /);
    }
    expect((await fetch(`${t.venueUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${t.venueUrl}/ledger`, { method: 'POST' })).status).toBe(405);
  });

  it('fails a share of first tool calls (retryable), lands their retries, dedupes nothing', async () => {
    const c = await rawClient(t.fleet.ports.venueTcp);
    const keys = Array.from({ length: 40 }, (_, i) => `act-${i}`);
    c.s.write(`${keys.map((k, i) => JSON.stringify(request(i, k, 'action'))).join('\n')}\n`);
    const first = [];
    for (const _ of keys) first.push(await c.next());
    const failed = first.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.retryable === true)).toBe(true);
    c.s.write(`${failed.map((r) => JSON.stringify(request(r.id as number, keys[r.id as number], 'action'))).join('\n')}\n`);
    for (const _ of failed) expect((await c.next()).ok).toBe(true);
    // A second landing of the same key is recorded again: the harness must see it.
    c.s.write(`${JSON.stringify(request(100, 'act-0', 'action'))}\n`);
    expect((await c.next()).ok).toBe(true);
    c.s.destroy();
    expect((await t.ledger()).filter((e) => e.key === 'act-0').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the ledger across a restart and continues the seq', async () => {
    const before = await t.ledger();
    const v = t.procs.get('venue')!;
    v.child.kill('SIGKILL');
    await v.exited;
    await t.startVenue();
    expect(await t.ledger()).toEqual(before);
    const c = await rawClient(t.fleet.ports.venueTcp);
    c.s.write(`${JSON.stringify(request(1, 'after-restart'))}\n`);
    expect((await c.next()).seq).toBe(before.length + 1);
    c.s.destroy();
  });

  it('exits 0 when its stdin pipe closes (the parent went away)', async () => {
    const v = t.procs.get('venue')!;
    v.child.stdin!.end();
    expect(await v.exited).toEqual({ code: 0, signal: null });
  });
});
