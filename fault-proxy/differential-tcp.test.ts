// Differential toxics on real TCP: the same proxy, toxic and socket moves against
// killdrill's proxy and the real Toxiproxy (toxiproxy-server from PATH), each on 127.0.0.1
// with local echo/source servers. Each scenario reduces what the client saw to a small
// outcome (bytes, how the socket ended, whether a floor was met); both servers must give
// the outcome written in the scenario. Timings appear only as floors the toxic promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { startProxyServer, type ProxyServerHandle } from './index.ts';
import { startRealToxiproxy, type RealToxiproxy } from './real-toxiproxy.ts';
import { connectTo, firstData, listenPort, readAll, startEcho, startLateReply, startSource, type TcpServer } from './test-helpers.ts';

let killdrill: ProxyServerHandle;
let toxiproxy: RealToxiproxy;
let echo: TcpServer;
let source: TcpServer;
let bye: TcpServer;
let late: TcpServer;
const PAYLOAD = Buffer.alloc(20_000, 7);
const sockets: Socket[] = [];

interface Target {
  base: string;
  /** A fresh proxy to `upstreamPort` with `toxics`; returns its name and port. */
  proxy(upstreamPort: number, toxics?: unknown[]): Promise<{ name: string; port: number }>;
  api(method: string, path: string, body?: unknown): Promise<void>;
}

let counter = 0;
function target(base: string): Target {
  const api = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${base}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${base}${path} -> ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  return {
    base,
    api,
    async proxy(upstreamPort, toxics = []) {
      const name = `tcp${++counter}`;
      const res = await fetch(`${base}/proxies`, {
        method: 'POST',
        body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }),
      });
      const created = (await res.json()) as { listen: string };
      for (const t of toxics) await api('POST', `/proxies/${name}/toxics`, t);
      return { name, port: listenPort(created.listen) };
    },
  };
}

async function open(port: number): Promise<Socket> {
  const s = await connectTo(port);
  s.on('error', () => {});
  sockets.push(s);
  return s;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Scenario {
  name: string;
  expected: unknown;
  run(t: Target): Promise<unknown>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'no toxic: the echo comes back',
    expected: { data: 'ping', ending: 'open' },
    async run(t) {
      const s = await open((await t.proxy(echo.port)).port);
      const r = readAll(s, 300);
      s.write('ping');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    // A reply sent 150 ms after the client's FIN: the proxy closed the connection on that FIN, so it
    // is lost. (An echo of the FIN's own data raced the close: the real Toxiproxy delivered it in CI
    // and lost it on a quiet machine.)
    name: 'client half-close: no half-close, a later reply is lost and the client gets FIN',
    expected: { data: '', ending: 'end' },
    async run(t) {
      const s = await open((await t.proxy(late.port)).port);
      const r = readAll(s, 2000);
      s.end('hello');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'server sends and closes, through latency: all data, then FIN',
    expected: { bytes: PAYLOAD.length, ending: 'end' },
    async run(t) {
      const s = await open((await t.proxy(source.port, [{ type: 'latency', attributes: { latency: 30 } }])).port);
      const x = await readAll(s, 5000);
      return { bytes: x.data.length, ending: x.ending };
    },
  },
  {
    name: 'latency 40: each of 30 small writes comes back at least 40 ms after it was sent',
    expected: { records: 30, allAtLeast40: true },
    async run(t) {
      const s = await open((await t.proxy(echo.port, [{ type: 'latency', attributes: { latency: 40 } }])).port);
      const sentAt: number[] = [];
      const delays: number[] = [];
      let buf = Buffer.alloc(0);
      const done = new Promise<void>((resolve) => {
        s.on('data', (d: Buffer) => {
          const at = performance.now();
          buf = Buffer.concat([buf, d]);
          while (buf.length >= 4) {
            delays.push(at - sentAt[buf.readUInt32BE(0)]);
            buf = buf.subarray(4);
            if (delays.length === 30) resolve();
          }
        });
        s.on('close', () => resolve());
      });
      for (let i = 0; i < 30; i++) {
        const rec = Buffer.alloc(4);
        rec.writeUInt32BE(i);
        sentAt.push(performance.now());
        s.write(rec);
        await pause(3);
      }
      await done;
      return { records: delays.length, allAtLeast40: delays.every((d) => d >= 40) };
    },
  },
  {
    name: 'limit_data 1234: exactly 1234 bytes, then FIN',
    expected: { bytes: 1234, ending: 'end' },
    async run(t) {
      const s = await open((await t.proxy(source.port, [{ type: 'limit_data', attributes: { bytes: 1234 } }])).port);
      const x = await readAll(s, 5000);
      return { bytes: x.data.length, ending: x.ending };
    },
  },
  {
    name: 'timeout 0: data is held and the connection stays open',
    expected: { data: '', ending: 'open' },
    async run(t) {
      const s = await open((await t.proxy(echo.port, [{ type: 'timeout', attributes: { timeout: 0 } }])).port);
      const r = readAll(s, 500);
      s.write('held');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'timeout 200: closed with FIN, no data',
    expected: { data: '', ending: 'end' },
    async run(t) {
      const s = await open((await t.proxy(echo.port, [{ type: 'timeout', attributes: { timeout: 200 } }])).port);
      const r = readAll(s, 3000);
      s.write('held');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'reset_peer there at accept: RST on first data',
    expected: { data: '', ending: 'ECONNRESET' },
    async run(t) {
      const s = await open((await t.proxy(echo.port, [{ type: 'reset_peer', attributes: { timeout: 0 } }])).port);
      const r = readAll(s, 3000);
      s.write('boom');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'reset_peer added to a live connection: a plain close (FIN), no RST',
    expected: { data: 'a', ending: 'end' },
    async run(t) {
      const { name, port } = await t.proxy(echo.port);
      const s = await open(port);
      const r = readAll(s, 3000);
      s.write('a');
      await pause(100);
      await t.api('POST', `/proxies/${name}/toxics`, { type: 'reset_peer', attributes: { timeout: 0 } });
      await pause(100);
      s.write('b');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'removing a timeout toxic with toxicity 0 still closes the connection',
    expected: { data: 'a', ending: 'end' },
    async run(t) {
      const { name, port } = await t.proxy(echo.port, [{ name: 'to', type: 'timeout', toxicity: 0, attributes: { timeout: 0 } }]);
      const s = await open(port);
      const r = readAll(s, 3000);
      s.write('a');
      await pause(100);
      await t.api('DELETE', `/proxies/${name}/toxics/to`);
      await pause(100);
      s.write('b');
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'removing a timeout toxic that held data closes the connection, the data lost',
    expected: { data: '', ending: 'end' },
    async run(t) {
      const { name, port } = await t.proxy(echo.port, [{ name: 'to', type: 'timeout', attributes: { timeout: 0 } }]);
      const s = await open(port);
      const r = readAll(s, 3000);
      s.write('a');
      await pause(100);
      await t.api('DELETE', `/proxies/${name}/toxics/to`);
      const x = await r;
      return { data: x.data.toString(), ending: x.ending };
    },
  },
  {
    name: 'slow_close 300: the data, then FIN no sooner than 300 ms after it',
    expected: { data: 'bye', ending: 'end', closeDelayed: true },
    async run(t) {
      const s = await open((await t.proxy(bye.port, [{ type: 'slow_close', attributes: { delay: 300 } }])).port);
      const x = await readAll(s, 5000);
      return { data: x.data.toString(), ending: x.ending, closeDelayed: x.endedAt - x.chunks[0].at >= 300 };
    },
  },
  {
    name: 'slicer: the data intact, in many small chunks',
    expected: { intact: true, manyChunks: true },
    async run(t) {
      const s = await open((await t.proxy(bye.port, [{ type: 'slicer', attributes: { average_size: 1, size_variation: 0, delay: 20_000 } }])).port);
      const x = await readAll(s, 5000);
      return { intact: x.data.toString() === 'bye', manyChunks: x.chunks.length >= 2 };
    },
  },
  {
    name: 'disabling the proxy cuts a live connection',
    expected: { ending: 'end' },
    async run(t) {
      const { name, port } = await t.proxy(echo.port);
      const s = await open(port);
      const r = readAll(s, 3000);
      // Live: an echo has come back through it, so both legs are up. Disabled right after accept,
      // the real Toxiproxy sent RST instead of FIN in 2 of about 20 runs under load (probably
      // before its upstream leg was up): a race of the test, not a difference.
      s.write('ping');
      await firstData(s, 3000);
      await t.api('POST', `/proxies/${name}`, { enabled: false });
      return { ending: (await r).ending };
    },
  },
];

beforeAll(async () => {
  echo = await startEcho();
  source = await startSource(PAYLOAD);
  bye = await startSource(Buffer.from('bye'));
  late = await startLateReply(Buffer.from('late'), 150);
  killdrill = await startProxyServer();
  toxiproxy = await startRealToxiproxy();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await killdrill?.close();
  await toxiproxy?.close();
  for (const s of [echo, source, bye, late]) await s?.close();
});

describe('toxics on real TCP: killdrill proxy and the real Toxiproxy give the same outcome', () => {
  for (const sc of SCENARIOS) {
    it(sc.name, async () => {
      const real = await sc.run(target(toxiproxy.url));
      const ours = await sc.run(target(killdrill.url));
      expect({ toxiproxy: real, killdrill: ours }).toEqual({ toxiproxy: sc.expected, killdrill: sc.expected });
    });
  }
});
