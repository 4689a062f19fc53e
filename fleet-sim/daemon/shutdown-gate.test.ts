// The shutdown gate (seed 003) with real processes: a daemon and the gateway get a real SIGTERM
// while submissions are in flight. The far side is a slow NDJSON server of the test's own (it
// holds every reply), so there always are submissions in flight when the signal comes.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { startTestFleet, testBot, waitFor, type TestFleet } from './test-fleet.ts';
import { NdjsonClient } from '../gateway/ndjson-client.ts';
import { setRogue } from './rogue.ts';

const FAST = { hft: { tickMs: 40, drainMs: 100 }, standard: { tickMs: 40, drainMs: 100 }, agent: { tickMs: 40, drainMs: 100 }, paper: { tickMs: 40, drainMs: 100 } };
const BOTS = [testBot('mm-a', 'hft'), testBot('sa-a', 'standard'), testBot('ag-a', 'agent')];

/** An NDJSON server that answers every request ok after `holdMs` (never, when null). */
function slowServer(port: number, holdMs: number | null): Promise<Server> {
  let seq = 0;
  const s = createServer((sock) => {
    sock.on('error', () => {});
    createInterface({ input: sock }).on('line', (l) => {
      const id = (JSON.parse(l) as { id: unknown }).id;
      if (holdMs !== null) setTimeout(() => !sock.destroyed && sock.write(`${JSON.stringify({ id, ok: true, seq: ++seq, receivedAt: Date.now() })}\n`), holdMs);
    });
  });
  return new Promise((resolve) => s.listen(port, '127.0.0.1', () => resolve(s)));
}

type Line = Record<string, unknown> & { type: string; key: string; bot: string; at: number; kind?: string; event?: string };

async function sigterm(t: TestFleet, key: string): Promise<{ code: number | null; signal: string | null }> {
  const p = t.procs.get(key)!;
  p.child.kill('SIGTERM');
  return p.exited;
}

describe('shutdown gate', () => {
  let t: TestFleet | undefined;
  let far: Server | undefined;
  afterEach(async () => {
    far?.close();
    far = undefined;
    await t?.close();
    t = undefined;
  });

  async function daemonAgainst(holdMs: number | null, config: Record<string, unknown> = {}, rogue = false): Promise<TestFleet> {
    t = await startTestFleet(BOTS, { pollIntervalS: 0.5, classes: FAST, ...config }, { gateway: false, daemons: false });
    far = await slowServer(t.fleet.ports.gatewayTcp, holdMs);
    if (rogue) setRogue(t.dir, 'node-a', 'd1', true);
    await t.startDaemon('node-a', 'd1');
    await waitFor('intents from the load', () => t!.journal().filter((j) => j.type === 'intent').length >= 10);
    return t;
  }

  it('SIGTERM: no submission starts after shutdown-requested, the ones in flight land, drained, exit 0', async () => {
    const t = await daemonAgainst(300);
    expect(await sigterm(t, 'node-a/d1')).toEqual({ code: 0, signal: null });
    const j = t.journal() as Line[];
    const req = j.find((x) => x.event === 'shutdown-requested')!;
    const drained = j.find((x) => x.event === 'drained')!;
    expect(req).toMatchObject({ type: 'shutdown', reason: 'SIGTERM' });
    expect(req.inFlight).toBeGreaterThan(0);
    expect(drained.waitedMs).toBeGreaterThan(0);
    expect(j.some((x) => x.event === 'drain-timeout')).toBe(false);
    // After the request only the drain's cancels start.
    expect(j.filter((x) => x.type === 'intent' && x.at >= req.at && x.kind !== 'cancel')).toEqual([]);
    const outcomes = new Set(j.filter((x) => x.type === 'outcome').map((x) => x.key));
    expect(j.filter((x) => x.type === 'intent' && !outcomes.has(x.key))).toEqual([]);
    expect(j.indexOf(drained)).toBe(j.length - 1);
  });

  it('the gate itself refuses: rogue bots (they ignore the kill state) tick on after SIGTERM, and none of their submissions starts', async () => {
    const t = await daemonAgainst(100, {}, true);
    expect(await sigterm(t, 'node-a/d1')).toEqual({ code: 0, signal: null });
    const j = t.journal() as Line[];
    const req = j.find((x) => x.event === 'shutdown-requested')!;
    const drained = j.find((x) => x.event === 'drained')!;
    expect(drained.refused).toBeGreaterThan(0);
    expect(j.filter((x) => x.type === 'intent' && x.at >= req.at && x.kind !== 'cancel')).toEqual([]);
  });

  it('a far side that never answers: drain-timeout after drainTimeoutS, naming what was abandoned', async () => {
    const t = await daemonAgainst(null, { drainTimeoutS: 0.3 });
    expect(await sigterm(t, 'node-a/d1')).toEqual({ code: 0, signal: null });
    const j = t.journal() as Line[];
    const timeout = j.find((x) => x.event === 'drain-timeout')!;
    expect(timeout.waitedMs).toBeGreaterThanOrEqual(300);
    const open = j.filter((x) => x.type === 'intent').map((x) => x.key);
    expect((timeout.abandoned as string[]).length).toBeGreaterThan(0);
    for (const k of timeout.abandoned as string[]) expect(open).toContain(k);
  });

  it('sigterm-abandons-inflight: the load goes on after shutdown-requested and the daemon exits with submissions open', async () => {
    const t = await daemonAgainst(300, { bugs: ['sigterm-abandons-inflight'] });
    await sigterm(t, 'node-a/d1');
    const j = t.journal() as Line[];
    const req = j.find((x) => x.event === 'shutdown-requested')!;
    expect(j.some((x) => x.event === 'drained' || x.event === 'drain-timeout')).toBe(false);
    expect(j.filter((x) => x.type === 'intent' && x.at > req.at && x.kind === 'order').length).toBeGreaterThan(0);
    const outcomes = new Set(j.filter((x) => x.type === 'outcome').map((x) => x.key));
    expect(j.filter((x) => x.type === 'intent' && !outcomes.has(x.key)).length).toBeGreaterThan(0);
  });

  async function gatewayAgainstSlowVenue(config: Record<string, unknown> = {}, holdMs: number | null = 300) {
    t = await startTestFleet([], config, { gateway: false, daemons: false });
    const venue = t.procs.get('venue')!;
    venue.child.kill('SIGKILL');
    await venue.exited;
    far = await slowServer(t.fleet.ports.venueTcp, holdMs);
    const gw = await t.startGateway();
    const c = new NdjsonClient({ host: '127.0.0.1', port: t.fleet.ports.gatewayTcp, name: 'gateway' });
    await c.waitConnected(5000);
    const base = { bot: 'mm-a', fleet: 'mm', tenant: 'tenant-a', group: 'bots', asset: 'AAPL', capability: 'cap', run: 'run-mm-a', side: 'buy', qty: 1 };
    const send = (key: string) => c.request({ ...base, key, kind: 'order', dispatchedAt: Date.now() });
    return { t, gw, c, send };
  }

  it('gateway: SIGTERM answers new submissions 503 shutting_down, finishes the one in flight, journals shutdown-requested and drained, exits 0', async () => {
    const { t, gw, c, send } = await gatewayAgainstSlowVenue();
    try {
      const first = send('g1');
      await new Promise((r) => setTimeout(r, 50));
      gw.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
      const second = await send('g2');
      expect(second).toMatchObject({ ok: true, reply: { ok: false, status: 503, code: 'shutting_down', retryable: true } });
      expect(await first).toMatchObject({ ok: true, reply: { ok: true } });
      expect(await gw.exited).toEqual({ code: 0, signal: null });
      const j = t.journal() as Line[];
      expect(j.map((x) => x.event)).toEqual(['shutdown-requested', 'drained']);
      expect(j[0]).toMatchObject({ type: 'shutdown', component: 'gateway', host: 'gateway', daemon: 'gateway', inFlight: 1, reason: 'SIGTERM' });
      expect(j[1]).toMatchObject({ component: 'gateway', refused: 1 });
      expect(j[1].waitedMs).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('gateway-accepts-while-shutting-down: after SIGTERM new submissions are forwarded, and the gateway exits under them after its grace (drain-timeout)', async () => {
    // A venue that never answers: whatever the gateway accepted is still in flight when it exits.
    const { t, gw, c, send } = await gatewayAgainstSlowVenue({ bugs: ['gateway-accepts-while-shutting-down'] }, null);
    try {
      gw.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      const sent = [send('g1'), send('g2')];
      expect(await gw.exited).toEqual({ code: 0, signal: null });
      for (const r of await Promise.all(sent)) expect(r.ok).toBe(false); // the connection closed under them
      const j = t.journal() as Line[];
      expect(j.map((x) => x.event)).toEqual(['shutdown-requested', 'drain-timeout']);
      expect(j[1]).toMatchObject({ component: 'gateway', refused: 0 });
      expect([...(j[1].abandoned as string[])].sort()).toEqual(['g1', 'g2']);
    } finally {
      c.close();
    }
  });
});
