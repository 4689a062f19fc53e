// A venue whose /ledger answers 500 (a real HTTP server): the ledger observer records the episode as
// `observer-failed` (recovered when a read succeeds again, unrecovered when the observers stop while
// it still fails), and the checkers that need the ledger are unknown instead of passing.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { observeLedger, waitForBacklog } from './observe-ledger.ts';
import { observerHealth } from './observer-health.ts';
import { History, type Op, type OpInput } from '../history/index.ts';
import { runCheckers } from '../checkers/index.ts';
import { allPhase, kill, roster } from '../checkers/history-fixture.ts';

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A venue ledger: its first `good` reads answer one effect each, then 500 until `healAfter` reads (never, by default). */
async function venue(good: number, healAfter = Number.POSITIVE_INFINITY): Promise<string> {
  let reads = 0;
  server = createServer((req, res) => {
    reads++;
    if (reads > good && reads <= healAfter) {
      res.writeHead(500).end('boom');
      return;
    }
    const after = Number(new URL(req.url!, 'http://x').searchParams.get('after'));
    const effects = after < 3 ? [{ seq: after + 1, key: `k${after + 1}`, bot: 'mm-aapl', kind: 'order', dispatchedAt: 500 + after, receivedAt: 505 + after }] : [];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ effects, next: after + effects.length }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

async function observe(url: string, ticks: number) {
  const ops: OpInput[] = [];
  const emit = (o: OpInput) => void ops.push(o);
  const health = observerHealth('ledger', emit);
  const ledger = observeLedger({ url: `${url}/ledger` }, emit, (e) => health.failed(e), 10, () => health.ok());
  for (let i = 0; i < ticks; i++) await ledger.flush();
  await ledger.stop();
  health.close(99_000);
  return ops;
}

const judged = (ops: OpInput[]) => {
  const h = new History([roster(), allPhase('Running', 0), kill(1000, 1100), ...ops, { type: 'observers-stopped', at: 99_000 }].flat().map((o, i) => ({ t: i + 1, ...o })) as unknown as Op[]);
  return Object.fromEntries(runCheckers(h, {}).map((v) => [v.checker, v]));
};

describe('ledger observer failures', () => {
  it('a ledger that answers 500 to the end: observer-failed unrecovered, post-flip-effects unknown, not a pass', async () => {
    const ops = await observe(await venue(1), 4);
    expect(ops.filter((o) => o.type === 'effect')).toHaveLength(1);
    const failed = ops.filter((o) => o.type === 'observer-failed');
    expect(failed).toEqual([expect.objectContaining({ source: 'ledger', error: "killdrill: the ledger's GET /ledger answered 500", recovered: false, to: 99_000 })]);
    expect(failed[0].failures).toBeGreaterThanOrEqual(3);
    const vs = judged(ops);
    expect(vs['post-flip-effects'].valid).toBe('unknown');
    expect(vs['post-flip-effects'].summary).toMatch(/^not proven: the ledger observer failed from .* killdrill: the ledger.s GET \/ledger answered 500; what happened after it failed was never read \(it would have said: 0 forbidden effect/);
  });

  it('a ledger that recovers: the cursor catches up, nothing is lost, the verdict stands', async () => {
    const ops = await observe(await venue(1, 3), 5);
    expect(ops.filter((o) => o.type === 'effect').map((o) => o.seq)).toEqual([1, 2, 3]);
    expect(ops.filter((o) => o.type === 'observer-failed')).toEqual([expect.objectContaining({ source: 'ledger', recovered: true, failures: 2 })]);
    expect(judged(ops)['post-flip-effects'].valid).toBe(true);
  });

  it("fresh(): the effects read after the first full read, not the backlog a running target already had", async () => {
    let n = 2;
    server = createServer((req, res) => {
      const after = Number(new URL(req.url!, 'http://x').searchParams.get('after'));
      const effects = Array.from({ length: Math.max(0, n - after) }, (_, i) => ({ seq: after + i + 1, key: `k${after + i + 1}`, bot: 'b', kind: 'order', dispatchedAt: 1, receivedAt: 2 }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ effects, next: after + effects.length }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const ledger = observeLedger({ url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/ledger` }, () => {}, () => {}, 10);
    expect(ledger.caughtUp()).toBe(false);
    await ledger.flush();
    expect([ledger.count(), ledger.fresh(), ledger.caughtUp()]).toEqual([2, 0, true]);
    n = 5;
    await ledger.flush();
    await ledger.stop();
    expect([ledger.count(), ledger.fresh()]).toEqual([5, 3]);
  });
});

describe('waitForBacklog', () => {
  const sleep = (until: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, until - Date.now())));
  it('returns once the first full read is done', async () => {
    let reads = 0;
    await waitForBacklog({ caughtUp: () => ++reads > 3, count: () => 42 }, 5000, sleep);
    expect(reads).toBe(4);
  });
  it('errors, naming how far it got, when the backlog is not read in time (the timeline never starts blind)', async () => {
    await expect(waitForBacklog({ caughtUp: () => false, count: () => 15_000 }, 120, sleep)).rejects.toThrow(/ledger backlog was not read within 0.12 s \(15000 effects read so far\)/);
  });
  it("stops when the case's sleep throws (an abort or a stop condition)", async () => {
    await expect(waitForBacklog({ caughtUp: () => false, count: () => 0 }, 5000, () => Promise.reject(new Error('interrupted')))).rejects.toThrow('interrupted');
  });
});
