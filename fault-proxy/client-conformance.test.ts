// Conformance driven by the unmodified toxiproxy-node-client, against killdrill's proxy and,
// with the very same cases, against the real Toxiproxy (toxiproxy-server from PATH): what
// passes on one must pass on the other. Cases only killdrill's address policy decides are
// marked so and run against killdrill only (never sent off loopback to Toxiproxy).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import { startProxyServer } from './index.ts';
import { startRealToxiproxy } from './real-toxiproxy.ts';
import { connectTo, firstData, listenPort, startEcho, type TcpServer } from './test-helpers.ts';

interface Server {
  url: string;
  close(): Promise<void>;
}

const SERVERS: [string, () => Promise<Server>][] = [
  ['killdrill', () => startProxyServer({ port: 0 })],
  ['Toxiproxy', () => startRealToxiproxy()],
];

async function statusOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ToxiproxyError);
    return (err as Error).message;
  }
  throw new Error('expected the client to reject');
}

describe.each(SERVERS)('toxiproxy-node-client against %s', (kind, start) => {
  let server: Server;
  let echo: TcpServer;
  let client: Toxiproxy;
  let upstream: string;
  const killdrillOnly = kind === 'killdrill';

  beforeAll(async () => {
    server = await start();
    echo = await startEcho();
    client = new Toxiproxy(server.url);
    upstream = `127.0.0.1:${echo.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await echo?.close();
  });

  beforeEach(async () => {
    for (const p of Object.values(await client.getAll())) await p.remove();
  });

  describe('the client calls', () => {
    it('reports the version as JSON text', async () => {
      const text = await client.getVersion();
      expect(JSON.parse(text)).toEqual({ version: killdrillOnly ? '2.12.0' : expect.stringMatching(/^2\.\d+\.\d+$/) });
    });

    it('creates, gets, lists, updates and deletes proxies', async () => {
      const created = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream });
      expect(created.name).toBe('db');
      expect(created.enabled).toBe(true);
      expect(created.upstream).toBe(upstream);
      const port = listenPort(created.listen);
      expect(port).toBeGreaterThan(0);
      expect(created.listen).toBe(`127.0.0.1:${port}`);

      const got = await client.get('db');
      expect(got.toJson()).toEqual(created.toJson());
      expect(Object.keys(await client.getAll())).toEqual(['db']);

      const disabled = await got.update({ ...got.toJson(), enabled: false });
      expect(disabled.enabled).toBe(false);
      expect(disabled.listen).toBe(created.listen);
      const enabled = await disabled.update({ ...disabled.toJson(), enabled: true });
      expect(enabled.enabled).toBe(true);
      expect(enabled.listen).toBe(created.listen);

      const s = await connectTo(port);
      s.write('ping');
      expect((await firstData(s, 2000)).data.toString()).toBe('ping');
      s.destroy();

      await enabled.remove();
      expect(await client.getAll()).toEqual({});
    });

    it('populates proxies and keeps unchanged ones', async () => {
      const first = await client.populate([
        { name: 'a', listen: '127.0.0.1:0', upstream },
        { name: 'b', listen: '127.0.0.1:0', upstream, enabled: false },
      ]);
      expect(Object.keys(first).sort()).toEqual(['a', 'b']);
      expect(first.a.enabled).toBe(true);
      expect(first.b.enabled).toBe(false);
      const again = await client.populate([{ name: 'a', listen: first.a.listen, upstream }]);
      expect(again.a.listen).toBe(first.a.listen);
    });

    it('runs toxics CRUD through the client', async () => {
      const proxy = await client.createProxy({ name: 'tx', listen: '127.0.0.1:0', upstream });
      const toxic = await proxy.addToxic({
        name: 'slow',
        type: 'latency',
        stream: 'upstream',
        toxicity: 1,
        attributes: { latency: 50, jitter: 5 },
      });
      expect(toxic.toJson()).toEqual({
        name: 'slow',
        type: 'latency',
        stream: 'upstream',
        toxicity: 1,
        attributes: { latency: 50, jitter: 5 },
      });
      const fetched = await proxy.getToxic('slow');
      expect(fetched.toJson()).toEqual(toxic.toJson());
      const updated = await fetched.update({ ...fetched.toJson(), attributes: { latency: 75, jitter: 0 }, toxicity: 0.5 });
      expect(updated.attributes).toEqual({ latency: 75, jitter: 0 });
      expect(updated.toxicity).toBe(0.5);
      const listed = await client.get('tx');
      expect((listed as unknown as { toxics?: unknown }).toxics).toBeUndefined(); // the client drops toxics
      await updated.remove();
      expect(await statusOf(proxy.getToxic('slow'))).toBe('Request failed with status code 404');
    });

    it('reset re-enables proxies and removes every toxic', async () => {
      const proxy = await client.createProxy({ name: 'r', listen: '127.0.0.1:0', upstream });
      await proxy.addToxic({ name: 't', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
      await proxy.update({ ...proxy.toJson(), enabled: false });
      await client.reset();
      const res = await fetch(`${server.url}/proxies/r`);
      const body = (await res.json()) as { enabled: boolean; toxics: unknown[]; listen: string };
      expect(body.enabled).toBe(true);
      expect(body.toxics).toEqual([]);
      expect(body.listen).toBe(proxy.listen);
    });

    it('surfaces every error status the client can see', async () => {
      const proxy = await client.createProxy({ name: 'e', listen: '127.0.0.1:0', upstream });
      const code = (n: number): string => `Request failed with status code ${n}`;
      expect(await statusOf(client.get('missing'))).toBe(code(404));
      expect(await statusOf(client.createProxy({ name: 'e', listen: '127.0.0.1:0', upstream }))).toBe(code(409));
      expect(await statusOf(client.createProxy({ name: 'x', listen: '127.0.0.1:0', upstream: '' }))).toBe(code(400));
      if (killdrillOnly) {
        // killdrill's address policy (an intended difference: Toxiproxy accepts both).
        expect(await statusOf(client.createProxy({ name: 'x', listen: '127.0.0.1:0', upstream: '10.0.0.1:80' }))).toBe(
          code(400),
        );
        expect(await statusOf(client.createProxy({ name: 'x', listen: '0.0.0.0:0', upstream }))).toBe(code(400));
      }
      expect(await statusOf(client.createProxy({ name: 'x', listen: proxy.listen, upstream }))).toBe(code(500));
      expect(await statusOf(client.populate([{ name: '', listen: '127.0.0.1:0', upstream }]))).toBe(code(400));
      const toxic = { name: 'l', type: 'latency' as const, stream: 'downstream' as const, toxicity: 1, attributes: { latency: 1, jitter: 0 } };
      await proxy.addToxic(toxic);
      expect(await statusOf(proxy.addToxic(toxic))).toBe(code(409));
      expect(await statusOf(proxy.addToxic({ ...toxic, name: 'n', type: 'nope' as 'latency' }))).toBe(code(400));
      expect(await statusOf(proxy.addToxic({ ...toxic, name: 'n', stream: 'sideways' as 'upstream' }))).toBe(code(400));
      expect(await statusOf(proxy.addToxic({ ...toxic, name: 'n', attributes: { latency: 'x' as unknown as number, jitter: 0 } }))).toBe(
        code(400),
      );
      expect(await statusOf(proxy.getToxic('missing'))).toBe(code(404));
      await proxy.remove();
      expect(await statusOf(proxy.remove())).toBe(code(404));
      expect(await statusOf(proxy.update({ ...proxy.toJson(), enabled: false }))).toBe(code(404));
      expect(await statusOf(proxy.addToxic(toxic))).toBe(code(404));
    });

    it('surfaces a connection failure when the server is gone', async () => {
      const other = await startProxyServer({ port: 0 });
      await other.close();
      const gone = new Toxiproxy(other.url);
      await expect(gone.getAll()).rejects.toBeInstanceOf(ToxiproxyError);
    });
  });
});
