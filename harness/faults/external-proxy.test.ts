// The link faults on a REAL Toxiproxy (`toxiproxy-server` from PATH; CI puts ../shared/bin there):
// link-latency, link-down, partition, pubsub-drop (silent) and flag-store-silent (blackhole), each
// injected and healed exactly as on killdrill's proxy, the state read back from Toxiproxy's own API
// (and link-down on real TCP). pubsub-drop's channel form is refused there at load
// (needsKilldrillProxy): Toxiproxy has no redis_channel_drop toxic, and injecting it anyway fails and
// leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { startRealToxiproxy, type RealToxiproxy } from '../../fault-proxy/real-toxiproxy.ts';
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import type { FleetEndpoints } from '../runtime/index.ts';
import { faultByKind, needsKilldrillProxy, type ActiveFault, type ComponentInfo } from './index.ts';
import { ALPHASWARM_COMPONENTS } from './alphaswarm-components.fixture.ts';

interface Toxic {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: Record<string, unknown>;
}
interface Proxy {
  name: string;
  listen: string;
  enabled: boolean;
  toxics: Toxic[];
}

let tp: RealToxiproxy;
let echo: Server;
const components: ComponentInfo[] = ALPHASWARM_COMPONENTS;
const links = components.filter((c) => c.kind === 'link').map((c) => c.name);

async function proxies(): Promise<Record<string, Proxy>> {
  const res = await fetch(`${tp.url}/proxies`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, Proxy>;
}

/** Every link's state on the real Toxiproxy: the disabled ones and each link's toxics (name type stream attributes). */
async function state(): Promise<{ disabled: string[]; toxics: Record<string, string[]> }> {
  const all = await proxies();
  const toxics: Record<string, string[]> = {};
  for (const p of Object.values(all)) if (p.toxics.length) toxics[p.name] = p.toxics.map((t) => `${t.name} ${t.type} ${t.stream} ${t.toxicity} ${JSON.stringify(t.attributes)}`).sort();
  return { disabled: Object.values(all).filter((p) => !p.enabled).map((p) => p.name).sort(), toxics };
}

const CLEAN = { disabled: [], toxics: {} };

async function inject(kind: string, params: Record<string, unknown>): Promise<ActiveFault> {
  const problem = faultByKind(kind).check(params, components, DEFAULT_KEY_PREFIX) ?? needsKilldrillProxy({ kind, params });
  expect(problem).toBeNull();
  return faultByKind(kind).inject({ fleet: { proxyUrl: tp.url } as FleetEndpoints, components, keyPrefix: DEFAULT_KEY_PREFIX }, params);
}

/** Whether a TCP connection to the link's listen address is accepted (and echoes a byte back). */
function echoes(link: string, all: Record<string, Proxy>): Promise<boolean> {
  const port = Number(all[link].listen.split(':').at(-1));
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('error', () => resolve(false));
    s.once('connect', () => s.write('x'));
    s.once('data', () => (s.destroy(), resolve(true)));
    s.once('close', () => resolve(false));
  });
}

beforeAll(async () => {
  tp = await startRealToxiproxy();
  echo = createServer((s) => s.pipe(s)).listen(0, '127.0.0.1');
  await new Promise((r) => echo.once('listening', r));
  const up = `127.0.0.1:${(echo.address() as AddressInfo).port}`;
  const res = await fetch(`${tp.url}/populate`, { method: 'POST', body: JSON.stringify(links.map((name) => ({ name, listen: '127.0.0.1:0', upstream: up, enabled: true }))) });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await tp?.close();
  echo?.close();
});

describe('link faults on a real toxiproxy-server', () => {
  it('link-latency: a latency toxic on both streams of the link; the heal removes both', async () => {
    expect(await state()).toEqual(CLEAN);
    const f = await inject('link-latency', { link: 'gateway-venue', latencyMs: 250, jitterMs: 10 });
    expect(await state()).toEqual({
      disabled: [],
      toxics: { 'gateway-venue': ['killdrill_latency_down latency downstream 1 {"latency":250,"jitter":10}', 'killdrill_latency_up latency upstream 1 {"latency":250,"jitter":10}'] },
    });
    await f.heal();
    expect(await state()).toEqual(CLEAN);
  });

  it('link-down: the link is disabled (its listener refuses connections); the heal enables it', async () => {
    expect(await echoes('gateway-redis', await proxies())).toBe(true);
    const f = await inject('link-down', { link: 'gateway-redis' });
    expect(await state()).toEqual({ disabled: ['gateway-redis'], toxics: {} });
    expect(await echoes('gateway-redis', await proxies())).toBe(false);
    await f.heal();
    expect(await state()).toEqual(CLEAN);
    expect(await echoes('gateway-redis', await proxies())).toBe(true);
  });

  it("partition: the host's Redis links and its broker link are disabled; the heal enables them", async () => {
    const f = await inject('partition', { host: 'node-b' });
    expect(await state()).toEqual({ disabled: ['bots-redis-poll.node-b', 'bots-redis-sub.node-b', 'broker-hosts.node-b'], toxics: {} });
    await f.heal();
    expect(await state()).toEqual(CLEAN);
  });

  it('pubsub-drop (silent): a timeout-0 toxic downstream on every subscriber link; the heal removes it', async () => {
    const f = await inject('pubsub-drop', { form: 'silent' });
    const t = ['killdrill_pubsub_silent timeout downstream 1 {"timeout":0}'];
    expect(await state()).toEqual({ disabled: [], toxics: { 'bots-redis-sub.node-a': t, 'bots-redis-sub.node-b': t } });
    await f.heal();
    expect(await state()).toEqual(CLEAN);
  });

  it("flag-store-silent (blackhole, one host): timeout-0 toxics on both streams of that host's poll and subscriber links; healed", async () => {
    const f = await inject('flag-store-silent', { form: 'blackhole', host: 'node-a' });
    const t = ['killdrill_flag_store_silent_down timeout downstream 1 {"timeout":0}', 'killdrill_flag_store_silent_up timeout upstream 1 {"timeout":0}'];
    expect(await state()).toEqual({ disabled: [], toxics: { 'bots-redis-poll.node-a': t, 'bots-redis-sub.node-a': t } });
    await f.heal();
    expect(await state()).toEqual(CLEAN);
  });

  it("pubsub-drop's channel form: refused for an external proxy; Toxiproxy has no such toxic, and injecting it anyway leaves nothing", async () => {
    expect(needsKilldrillProxy({ kind: 'pubsub-drop', params: { form: 'channel' } })).toMatch(/redis_channel_drop toxic, which only killdrill's fault proxy has/);
    expect(needsKilldrillProxy({ kind: 'pubsub-drop', params: { form: 'silent' } })).toBeNull();
    const ctx = { fleet: { proxyUrl: tp.url } as FleetEndpoints, components, keyPrefix: DEFAULT_KEY_PREFIX };
    await expect(faultByKind('pubsub-drop').inject(ctx, { form: 'channel' })).rejects.toThrow(/^killdrill: could not add toxic killdrill_channel_drop to bots-redis-sub.node-a, bots-redis-sub.node-b \(removed again from: none\)/);
    expect(await state()).toEqual(CLEAN);
  });

  it('a fault that fails half-way on it is undone: the link already changed is restored', async () => {
    for (const gone of ['bots-redis-sub.node-b', 'broker-hosts.node-a']) expect((await fetch(`${tp.url}/proxies/${gone}`, { method: 'DELETE' })).status).toBe(204);
    const ctx = { fleet: { proxyUrl: tp.url } as FleetEndpoints, components, keyPrefix: DEFAULT_KEY_PREFIX };
    await expect(faultByKind('pubsub-drop').inject(ctx, { form: 'silent' })).rejects.toThrow(/\(removed again from: bots-redis-sub.node-a\)/);
    await expect(faultByKind('partition').inject(ctx, { host: 'node-a' })).rejects.toThrow(/\(undone: bots-redis-sub.node-a, bots-redis-poll.node-a\)/);
    expect(await state()).toEqual(CLEAN);
  });
});
