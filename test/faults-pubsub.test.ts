// pubsub-drop against a `sim up` fleet, with the harness's fault objects and our own Redis clients on
// the fleet's subscriber link (docs/contracts.md §12): the channel form drops only the kill events
// channel while the connection and other channels stay healthy; the silent form delivers nothing and
// raises no error, while the poller link still answers — and an engage through the REST API (which
// publishes) still halts every bot within one poll interval, by polling. Both heal.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { faultByKind, listComponents } from '../harness/faults/index.ts';
import type { FleetEndpoints } from '../harness/runtime/index.ts';
import { noneLeft, simUp, sleep } from './faults-helpers.ts';
import { DEFAULT_KEY_PREFIX, eventsChannel } from '../contracts/index.ts';

const EVENTS = eventsChannel(DEFAULT_KEY_PREFIX);
const OTHER = 'killdrill:test:other';
const POLL_S = 2;

type Fleet = FleetEndpoints & { links: Record<string, { listen: string }> };

async function received(sub: Redis, publish: () => Promise<unknown>, waitMs: number): Promise<string[]> {
  const got: string[] = [];
  const on = (ch: string) => got.push(ch);
  sub.on('message', on);
  await publish();
  await sleep(waitMs);
  sub.off('message', on);
  return got.sort();
}

describe('pubsub-drop on a running fleet', () => {
  const runId = `t-faults-pubsub-${process.pid}-${Date.now()}`;
  const sim = simUp({ preset: 'alphaswarm', bots: 6, pollIntervalS: POLL_S, gatewayCheck: false }, runId);
  afterAll(async () => {
    await sim.stop();
  });

  it('channel form drops only the events channel; silent form silences the link while polling still halts a REST engage', { timeout: 180_000 }, async () => {
    const fleet = (await sim.line) as unknown as Fleet;
    const components = await listComponents(fleet);
    const [host, port] = fleet.links['bots-redis-sub.node-a'].listen.split(':');
    const sub = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
    let closed = 0;
    sub.on('close', () => closed++);
    await sub.connect();
    await sub.subscribe(EVENTS, OTHER);
    const pub = new Redis(fleet.redisUrl);
    const both = () => Promise.all([pub.publish(EVENTS, '{"op":"noop","key":"x"}'), pub.publish(OTHER, 'hello')]);
    try {
      expect(await received(sub, both, 500)).toEqual([EVENTS, OTHER]);

      // Channel form: the events channel's deliveries vanish, the other channel and the connection are fine.
      const drop = faultByKind('pubsub-drop');
      expect(drop.check({ form: 'channel' }, components, DEFAULT_KEY_PREFIX)).toBe(null);
      const channel = await drop.inject({ fleet, components, keyPrefix: DEFAULT_KEY_PREFIX }, { form: 'channel' });
      expect(channel.detail).toMatchObject({ form: 'channel', channel: EVENTS, links: ['bots-redis-sub.node-a', 'bots-redis-sub.node-b'] });
      expect(await received(sub, both, 1000)).toEqual([OTHER]);
      await channel.heal();
      expect(await received(sub, both, 1000)).toEqual([EVENTS, OTHER]);

      // Silent form: nothing arrives and no error is raised, the poller link still answers.
      const silent = await drop.inject({ fleet, components, keyPrefix: DEFAULT_KEY_PREFIX }, { form: 'silent' });
      expect(await received(sub, both, 1000)).toEqual([]);
      const [ph, pp] = fleet.links['bots-redis-poll.node-a'].listen.split(':');
      const poller = new Redis({ host: ph, port: Number(pp), maxRetriesPerRequest: 1 });
      expect(await poller.ping()).toBe('PONG');
      poller.disconnect();

      // An engage through the broker's REST API writes the key and publishes; the announcement is lost,
      // and every bot still halts within one poll interval (plus 0.5 s), by polling.
      const t0 = Date.now();
      const res = await fetch(`${fleet.brokerUrl}/killswitch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fleet.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'platform', target: 'platform', mode: 'cancel', reason: 'faults-pubsub test' }),
      });
      expect(res.status).toBe(200);
      let bots: Array<{ slug: string; phase: string }> = [];
      let haltedAt = 0;
      while (Date.now() - t0 < 10_000) {
        bots = (await (await fetch(`${fleet.brokerUrl}/bots`, { headers: { authorization: `Bearer ${fleet.token}` } })).json()) as typeof bots;
        if (bots.length && bots.every((b) => b.phase !== 'Running')) {
          haltedAt = Date.now();
          break;
        }
        await sleep(50);
      }
      expect(bots.length).toBe(6);
      expect(haltedAt, JSON.stringify(bots)).toBeGreaterThan(0);
      expect(haltedAt - t0).toBeLessThanOrEqual(POLL_S * 1000 + 500);
      expect(closed).toBe(0); // the subscriber connection was never cut: the drop was silent

      // Heal removes the timeout toxic, which (as in Toxiproxy) closes the connections it held: the
      // subscriber reconnects, resubscribes, and deliveries flow again.
      await silent.heal();
      const end = Date.now() + 15_000;
      while ((closed === 0 || sub.status !== 'ready') && Date.now() < end) await sleep(100);
      expect(closed).toBeGreaterThan(0);
      expect(await received(sub, both, 1000)).toEqual([EVENTS, OTHER]);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
    await sim.stop();
    expect(await noneLeft(runId, 15_000)).toEqual([]);
  });
});
