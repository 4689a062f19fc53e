// The bots' own gate on its own, with the execution boundary on (gateway check): the
// gate-open-while-draining bug and the rogue-bot switch (fleet-sim/daemon/rogue.ts) send forbidden
// intents after the bot's own Draining; the boundary rejects every one, none lands.
import { describe, expect, it } from 'vitest';
import { startTestFleet, testBot, waitFor, type TestFleet } from './test-fleet.ts';
import { eventsChannel, nowMs, type Bug } from '../model.ts';
import { setRogue } from './rogue.ts';

const PREFIX = 'alphaswarm:bots:killswitch';
const PLATFORM = `${PREFIX}:platform:platform`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withFleet(bugs: Bug[], fn: (t: TestFleet) => Promise<void>): Promise<void> {
  const t = await startTestFleet([testBot('mm-a', 'hft')], { bugs, gatewayCheck: true, pollIntervalS: 0.3, classes: { hft: { tickMs: 20, drainMs: 400 } } });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function engage(t: TestFleet): Promise<void> {
  const value = JSON.stringify({ mode: 'cancel', reason: 'drill' });
  await t.redis.set(PLATFORM, value);
  await t.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'engage', key: PLATFORM, value, at: nowMs() }));
}

/** Order intents of mm-a after `at` (its clock), with their outcomes. */
function ordersAfter(t: TestFleet, at: number): Array<{ key: string; status: string | undefined }> {
  const j = t.journal();
  const out = new Map(j.filter((e) => e.type === 'outcome').map((e) => [e.key, e.status as string]));
  return j.filter((e) => e.type === 'intent' && e.kind === 'order' && (e.at as number) > at).map((e) => ({ key: e.key, status: out.get(e.key) }));
}

async function drainedAt(t: TestFleet, phase: 'Draining' | 'Stopped'): Promise<number> {
  return waitFor(`mm-a ${phase}`, async () => {
    const p = (await t.phases())['mm-a'];
    return p?.phase === phase ? p.at : null;
  });
}

/** mm-a's own Draining transition, from the phase stream (its clock). */
async function drainingAt(t: TestFleet): Promise<number> {
  const f = (await t.redis.xrange('alphaswarm:bots:phases', '-', '+')).map(([, x]) => x).find((x) => x[1] === 'mm-a' && x[3] === 'Draining');
  expect(f, 'mm-a never wrote a Draining phase').toBeDefined();
  return Number(f![f!.indexOf('at') + 1]);
}

describe('the bot gate with the boundary on', () => {
  it('without a bug, a Draining bot sends no order at all', async () => {
    await withFleet([], async (t) => {
      await waitFor('mm-a running', async () => (await t.phases())['mm-a']?.phase === 'Running');
      await engage(t);
      await drainedAt(t, 'Stopped');
      await sleep(200);
      const at = await drainingAt(t);
      expect(ordersAfter(t, at)).toEqual([]);
    });
  });

  it('gate-open-while-draining: orders while Draining, every one rejected at the boundary, none after Stopped', async () => {
    await withFleet(['gate-open-while-draining'], async (t) => {
      await waitFor('mm-a running', async () => (await t.phases())['mm-a']?.phase === 'Running');
      await engage(t);
      const stopped = await drainedAt(t, 'Stopped');
      await sleep(300);
      const attempts = ordersAfter(t, await drainingAt(t)).filter((o) => o.status === 'rejected');
      expect(attempts.length).toBeGreaterThan(0);
      expect(ordersAfter(t, stopped + 50)).toEqual([]);
      const landed = (await t.ledger()).filter((e) => e.kind === 'order' && e.dispatchedAt > stopped - 400);
      expect(landed).toEqual([]);
    });
  });

  it('rogue-bot: the switch makes the bot send through Draining and Stopped (all rejected); obey stops it', async () => {
    await withFleet([], async (t) => {
      await waitFor('mm-a running', async () => (await t.phases())['mm-a']?.phase === 'Running');
      setRogue(t.dir, 'node-a', 'd1', true);
      t.procs.get('node-a/d1')!.child.kill('SIGUSR2');
      await engage(t);
      const stopped = await drainedAt(t, 'Stopped');
      await waitFor('orders after Stopped, rejected', () => ordersAfter(t, stopped).filter((o) => o.status === 'rejected').length >= 3);
      setRogue(t.dir, 'node-a', 'd1', false);
      t.procs.get('node-a/d1')!.child.kill('SIGUSR2');
      await sleep(200);
      const healed = nowMs();
      await sleep(300);
      expect(ordersAfter(t, healed)).toEqual([]);
      expect((await t.ledger()).filter((e) => e.kind === 'order' && e.dispatchedAt > stopped)).toEqual([]);
    });
  });
});
