// pubsub-drop's channel form drops the kill events channel of the fleet's own key prefix (contracts/
// eventsChannel), not seed 000's spelled out: against the real fault proxy and a real redis-server,
// with a subscriber on the events channels of a custom prefix and of the default one. Its check()
// refuses a `channel` param that is not the fleet's events channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startProxyServer, type ProxyServerHandle } from '../../fault-proxy/index.ts';
import { DEFAULT_KEY_PREFIX, eventsChannel } from '../../contracts/index.ts';
import type { FleetEndpoints } from '../runtime/index.ts';
import { pubsubDrop } from './link-faults.ts';
import { ALPHASWARM_COMPONENTS } from './alphaswarm-components.fixture.ts';
import type { ComponentInfo } from './types.ts';
import { freePort } from '../../lib/ports.ts';

const CUSTOM = 'acme:desk:halt';
const LINK = 'bots-redis-sub.node-a';
const components: ComponentInfo[] = [{ name: LINK, kind: 'link', pid: null, state: 'running' }];

describe('pubsub-drop check', () => {
  const c = ALPHASWARM_COMPONENTS;
  it('accepts the channel form without a channel, or naming the events channel of the prefix', () => {
    expect(pubsubDrop.check({ form: 'channel' }, c, CUSTOM)).toBeNull();
    expect(pubsubDrop.check({ form: 'channel', channel: `${CUSTOM}:events` }, c, CUSTOM)).toBeNull();
    expect(pubsubDrop.check({ form: 'channel', channel: 'alphaswarm:bots:killswitch:events' }, c, DEFAULT_KEY_PREFIX)).toBeNull();
  });

  it("refuses seed 000's channel for a fleet with another prefix, and a channel with the silent form", () => {
    expect(pubsubDrop.check({ form: 'channel', channel: 'alphaswarm:bots:killswitch:events' }, c, CUSTOM)).toBe(
      "'channel' is 'alphaswarm:bots:killswitch:events', but this fleet's kill events channel is 'acme:desk:halt:events' (<keyPrefix>:events, keyPrefix 'acme:desk:halt'); name that channel or leave 'channel' out (it defaults to it)",
    );
    expect(pubsubDrop.check({ form: 'channel', channel: 'other' }, c, DEFAULT_KEY_PREFIX)).toMatch(/^'channel' is 'other', but this fleet's kill events channel is 'alphaswarm:bots:killswitch:events'/);
    expect(pubsubDrop.check({ channel: `${CUSTOM}:events` }, c, CUSTOM)).toMatch(/'channel' is for form 'channel' only/);
  });
});

describe('pubsub-drop channel form on a real proxy and redis-server', () => {
  let redis: ChildProcess | undefined;
  let dir = '';
  let redisPort = 0;
  let proxy: ProxyServerHandle;
  let subPort = 0;
  const clients: Redis[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'killdrill-link-faults-'));
    proxy = await startProxyServer();
    redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const probe = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {}); // refused until redis-server listens
    for (let deadline = Date.now() + 10_000; ; ) {
      try {
        await probe.connect();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error('killdrill: redis-server did not start within 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
    const res = await fetch(`${proxy.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: LINK, listen: '127.0.0.1:0', upstream: `127.0.0.1:${redisPort}` }) });
    expect(res.status).toBe(201);
    subPort = Number(((await res.json()) as { listen: string }).listen.split(':').at(-1));
  });

  afterAll(async () => {
    for (const r of clients) r.disconnect();
    await proxy?.close();
    if (redis && redis.exitCode === null) {
      const exited = new Promise((r) => redis!.once('exit', r));
      redis.kill('SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("drops the custom prefix's events channel and lets seed 000's through; heals", { timeout: 30_000 }, async () => {
    const custom = eventsChannel(CUSTOM);
    const seed000 = eventsChannel(DEFAULT_KEY_PREFIX);
    const sub = new Redis({ host: '127.0.0.1', port: subPort, maxRetriesPerRequest: 1 });
    const pub = new Redis({ host: '127.0.0.1', port: redisPort });
    clients.push(sub, pub);
    const got: string[] = [];
    sub.on('message', (ch: string, msg: string) => got.push(`${ch} ${msg}`));
    await sub.subscribe(custom, seed000);
    // The seed-000 message goes last: once it arrived, the custom one before it was delivered or dropped.
    const round = async (n: number) => {
      got.length = 0;
      await pub.publish(custom, `c${n}`);
      await pub.publish(seed000, `d${n}`);
      for (const deadline = Date.now() + 5000; !got.includes(`${seed000} d${n}`) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
      return [...got];
    };

    expect(await round(1)).toEqual([`${custom} c1`, `${seed000} d1`]);
    const fleet = { proxyUrl: proxy.url } as FleetEndpoints;
    const active = await pubsubDrop.inject({ fleet, components, keyPrefix: CUSTOM }, { form: 'channel' });
    expect(active.detail).toEqual({ form: 'channel', channel: custom, links: [LINK] });
    expect(await round(2)).toEqual([`${seed000} d2`]);
    await active.heal();
    expect(await round(3)).toEqual([`${custom} c3`, `${seed000} d3`]);
  });
});
