// A fault that fails half-way is undone before it reports the failure: against a real fault proxy
// process (`killdrill proxy`, the same API an external Toxiproxy offers), a pub/sub drop over two
// subscriber links where the second link is missing leaves no toxic on the first, and a partition
// whose second link is missing re-enables the first.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer, type AddressInfo } from 'node:net';
import { faultByKind, type ComponentInfo } from '../harness/faults/index.ts';
import type { FleetEndpoints } from '../harness/runtime/index.ts';
import { CLI } from './faults-helpers.ts';
import { DEFAULT_KEY_PREFIX } from '../contracts/index.ts';

const proxy = spawn(process.execPath, [CLI, 'proxy', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = new Promise<string>((resolve) => createInterface({ input: proxy.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { url: string }).url)));
const upstream = createServer((s) => s.resume()).listen(0, '127.0.0.1');
afterAll(() => {
  proxy.kill('SIGTERM');
  upstream.close();
});

const link = (name: string): ComponentInfo => ({ name, kind: 'link', pid: null, state: 'enabled' });

async function api(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | Array<Record<string, unknown>> | null };
}

describe('half-applied faults are undone', () => {
  it('pubsub-drop and partition roll back the links they already changed, and say what failed', { timeout: 30_000 }, async () => {
    const url = await ready;
    const up = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    // Only node-a's links exist on the proxy; the components claim node-b's too (a fleet and proxy out of step).
    for (const name of ['bots-redis-sub.node-a', 'bots-redis-poll.node-a', 'broker-hosts.node-a']) {
      expect((await api(url, 'POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: up })).status).toBe(201);
    }
    const components = ['bots-redis-sub.node-a', 'bots-redis-sub.node-b', 'bots-redis-poll.node-a', 'broker-hosts.node-a', 'bots-redis-poll.node-b'].map(link);
    const fleet = { proxyUrl: url } as FleetEndpoints;

    await expect(faultByKind('pubsub-drop').inject({ fleet, components, keyPrefix: DEFAULT_KEY_PREFIX }, { form: 'silent' })).rejects.toThrow(
      /^killdrill: could not add toxic killdrill_pubsub_silent to bots-redis-sub.node-a, bots-redis-sub.node-b \(removed again from: bots-redis-sub.node-a\)/,
    );
    expect((await api(url, 'GET', '/proxies/bots-redis-sub.node-a/toxics')).body).toEqual([]);

    // partition node-a disables sub, poll, then broker-hosts.node-a — which is gone from the proxy.
    expect((await api(url, 'DELETE', '/proxies/broker-hosts.node-a')).status).toBe(204);
    await expect(faultByKind('partition').inject({ fleet, components, keyPrefix: DEFAULT_KEY_PREFIX }, { host: 'node-a' })).rejects.toThrow(/^killdrill: could not disable link\(s\) .*\(undone: bots-redis-sub.node-a, bots-redis-poll.node-a\)/);
    for (const name of ['bots-redis-sub.node-a', 'bots-redis-poll.node-a']) {
      expect(((await api(url, 'GET', `/proxies/${name}`)).body as Record<string, unknown>).enabled).toBe(true);
    }
  });
});
