// Each toxic's effect measured on real TCP through the proxy against local servers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { startProxyServer, type ProxyServerHandle } from './index.ts';
import {
  connectTo,
  firstData,
  listenPort,
  readAll,
  startEcho,
  startSource,
  type TcpServer,
} from './test-helpers.ts';

let server: ProxyServerHandle;
let echo: TcpServer;
const PAYLOAD = Buffer.alloc(50_000, 7);
let source: TcpServer;
const sockets: Socket[] = [];

async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

let counter = 0;
/** A fresh proxy to `upstreamPort`, with the given toxics; returns its port. */
async function proxyWith(upstreamPort: number, toxics: unknown[] = []): Promise<{ name: string; port: number }> {
  const name = `p${++counter}`;
  const p = await api('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` });
  for (const t of toxics) await api('POST', `/proxies/${name}/toxics`, t);
  return { name, port: listenPort(String(p.listen)) };
}

async function open(port: number): Promise<Socket> {
  const s = await connectTo(port);
  sockets.push(s);
  return s;
}

async function roundTripMs(port: number): Promise<number> {
  const s = await open(port);
  const t0 = performance.now();
  s.write('ping');
  const { at } = await firstData(s, 5000);
  s.destroy();
  return at - t0;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

beforeAll(async () => {
  server = await startProxyServer();
  echo = await startEcho();
  source = await startSource(PAYLOAD);
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});
afterAll(async () => {
  await server?.close();
  await echo?.close();
  await source?.close();
});

describe('toxic effects on real TCP', () => {
  // A floor and a bound that only a doubled latency crosses: not a timing assertion (those flake on a
  // loaded 2-core machine; bench/proxy.ts prints the figures), a check that the toxic is applied once.
  it('latency 100 ms adds at least ~100 ms to a round trip, and less than twice that', async () => {
    const direct: number[] = [];
    const proxied: number[] = [];
    const { port } = await proxyWith(echo.port, [{ type: 'latency', attributes: { latency: 100 } }]);
    for (let i = 0; i < 5; i++) {
      direct.push(await roundTripMs(echo.port));
      proxied.push(await roundTripMs(port));
    }
    const added = median(proxied) - median(direct);
    expect(added).toBeGreaterThanOrEqual(80); // the floor itself: "latency is a floor" below, per chunk
    expect(added).toBeLessThan(190);
  });

  /** Sends `count` 8-byte records, one write each, `gapMs` apart; returns each record's delay (echo arrival - send). */
  async function recordDelays(port: number, count: number, gapMs: number): Promise<number[]> {
    const s = await open(port);
    const sentAt: number[] = [];
    const delays: number[] = new Array<number>(count).fill(Number.NaN);
    let pending = Buffer.alloc(0);
    let received = 0;
    const allBack = new Promise<void>((resolve, reject) => {
      s.on('data', (d: Buffer) => {
        const at = performance.now();
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 8) {
          const seq = pending.readUInt32BE(0);
          delays[seq] = at - sentAt[seq];
          pending = pending.subarray(8);
          if (++received === count) resolve();
        }
      });
      s.on('close', () => reject(new Error(`closed after ${received}/${count} records`)));
    });
    for (let i = 0; i < count; i++) {
      const rec = Buffer.alloc(8);
      rec.writeUInt32BE(i, 0);
      sentAt[i] = performance.now();
      s.write(rec);
      await new Promise((r) => setTimeout(r, gapMs));
    }
    await allBack;
    return delays;
  }

  it('latency is a floor: each of many small writes is delayed at least the configured latency', async () => {
    const { port } = await proxyWith(echo.port, [{ type: 'latency', attributes: { latency: 50 } }]);
    const delays = await recordDelays(port, 60, 3);
    expect(delays.filter((d) => !(d >= 50))).toEqual([]);
  });

  it('latency with jitter is never under latency - jitter, on both streams', async () => {
    const { port } = await proxyWith(echo.port, [
      { type: 'latency', attributes: { latency: 30, jitter: 10 } },
      { type: 'latency', stream: 'upstream', attributes: { latency: 30, jitter: 10 } },
    ]);
    const delays = await recordDelays(port, 60, 2);
    expect(delays.filter((d) => !(d >= 40))).toEqual([]);
  });

  it('limit_data closes after exactly N bytes', async () => {
    const { port } = await proxyWith(source.port, [{ type: 'limit_data', attributes: { bytes: 1234 } }]);
    const r = await readAll(await open(port), 5000);
    expect(r.data.length).toBe(1234);
    expect(r.ending).toBe('end');
    const unlimited = await readAll(await open((await proxyWith(source.port)).port), 5000);
    expect(unlimited.data.length).toBe(PAYLOAD.length);
  });

  it('timeout 0 holds data forever: nothing arrives and the connection stays open', async () => {
    const { port } = await proxyWith(echo.port, [{ type: 'timeout', attributes: { timeout: 0 } }]);
    const s = await open(port);
    const reading = readAll(s, 600);
    s.write('hello');
    const r = await reading;
    expect(r.data.length).toBe(0);
    expect(r.ending).toBe('open');
  });

  it('timeout N closes the connection after N ms without delivering data', async () => {
    const { port } = await proxyWith(echo.port, [{ type: 'timeout', attributes: { timeout: 300 } }]);
    const s = await open(port);
    const t0 = performance.now();
    const early = readAll(s, 150);
    expect((await early).ending).toBe('open');
    const r = await readAll(s, 3000);
    expect(r.ending).not.toBe('open');
    expect(r.endedAt - t0).toBeGreaterThanOrEqual(290);
    expect(r.data.length).toBe(0);
  });

  it('reset_peer resets the connection (ECONNRESET)', async () => {
    const { port } = await proxyWith(echo.port, [{ type: 'reset_peer', attributes: { timeout: 0 } }]);
    const s = await open(port);
    const reading = readAll(s, 3000);
    s.write('boom');
    const r = await reading;
    expect(r.ending).toBe('ECONNRESET');
  });

  it('slicer delivers the data in many small slices', async () => {
    const payload = PAYLOAD.subarray(0, 600);
    const small = await startSource(payload);
    try {
      const plain = await readAll(await open((await proxyWith(small.port)).port), 3000);
      const { port } = await proxyWith(small.port, [
        { type: 'slicer', attributes: { average_size: 10, size_variation: 0, delay: 3000 } },
      ]);
      const sliced = await readAll(await open(port), 5000);
      expect(sliced.data.equals(payload)).toBe(true);
      expect(plain.chunks.length).toBeLessThanOrEqual(2);
      expect(sliced.chunks.length).toBeGreaterThanOrEqual(30);
      expect(Math.max(...sliced.chunks.map((c) => c.size))).toBeLessThanOrEqual(30);
    } finally {
      await small.close();
    }
  });

  it('bandwidth limits the rate', async () => {
    const { port } = await proxyWith(source.port, [{ type: 'bandwidth', attributes: { rate: 100 } }]);
    const s = await open(port);
    const t0 = performance.now();
    const r = await readAll(s, 5000);
    expect(r.data.length).toBe(PAYLOAD.length);
    const seconds = (r.endedAt - t0) / 1000;
    const kBps = PAYLOAD.length / 1000 / seconds;
    expect(kBps).toBeLessThanOrEqual(110);
    expect(kBps).toBeGreaterThan(50);
  });

  it('slow_close delays the close after the data', async () => {
    const small = await startSource(Buffer.from('bye'));
    try {
      const { port } = await proxyWith(small.port, [{ type: 'slow_close', attributes: { delay: 400 } }]);
      const s = await open(port);
      const first = firstData(s, 3000);
      const r = await readAll(s, 5000);
      expect(r.data.toString()).toBe('bye');
      expect(r.ending).toBe('end');
      expect(r.endedAt - (await first).at).toBeGreaterThanOrEqual(380);
    } finally {
      await small.close();
    }
  });

  it('toxicity 0 never applies', async () => {
    const { port } = await proxyWith(echo.port, [{ type: 'timeout', toxicity: 0, attributes: { timeout: 0 } }]);
    for (let i = 0; i < 5; i++) {
      const s = await open(port);
      s.write('through');
      expect((await firstData(s, 2000)).data.toString()).toBe('through');
    }
  });

  it('applies added, updated and removed toxics at once to an existing connection', async () => {
    const { name, port } = await proxyWith(echo.port);
    const s = await open(port);
    s.write('a');
    expect((await firstData(s, 2000)).data.toString()).toBe('a');
    // Added: data is now held.
    await api('POST', `/proxies/${name}/toxics`, { name: 'slow', type: 'latency', attributes: { latency: 5000 } });
    const sentAt = performance.now();
    s.write('b');
    const arrival = firstData(s, 3000);
    // Removed while 'b' is in flight: it is let through at once, not after 5 s.
    setTimeout(() => void api('DELETE', `/proxies/${name}/toxics/slow`), 200);
    const { at, data } = await arrival;
    expect(data.toString()).toBe('b');
    expect(at - sentAt).toBeLessThan(2000);
    // Toxic added on the live connection: limit_data cuts it after 3 more bytes.
    await api('POST', `/proxies/${name}/toxics`, { type: 'limit_data', attributes: { bytes: 3 } });
    const reading = readAll(s, 3000);
    s.write('12345');
    const r = await reading;
    expect(r.data.toString()).toBe('123');
    expect(r.ending).not.toBe('open');
  });

  it('upstream toxics act on client-to-server data', async () => {
    const { port } = await proxyWith(echo.port, [{ type: 'latency', stream: 'upstream', attributes: { latency: 300 } }]);
    expect(await roundTripMs(port)).toBeGreaterThanOrEqual(290);
    const { port: cut } = await proxyWith(echo.port, [{ type: 'limit_data', stream: 'upstream', attributes: { bytes: 2 } }]);
    const s = await open(cut);
    const reading = readAll(s, 3000);
    s.write('12345');
    const r = await reading;
    expect(r.ending).not.toBe('open');
    expect(r.data.length).toBeLessThanOrEqual(2);
  });

  it('removing a timeout toxic closes the connections it held (Toxiproxy cleanup)', async () => {
    const { name, port } = await proxyWith(echo.port, [{ name: 'hold', type: 'timeout', attributes: { timeout: 0 } }]);
    const s = await open(port);
    const reading = readAll(s, 3000);
    s.write('held');
    await new Promise((r) => setTimeout(r, 100));
    await api('DELETE', `/proxies/${name}/toxics/hold`);
    const r = await reading;
    expect(r.data.length).toBe(0);
    expect(r.ending).not.toBe('open');
  });

  it('closes the client when the upstream refuses', async () => {
    const gone = await startEcho();
    const upstreamPort = gone.port;
    await gone.close();
    const { port } = await proxyWith(upstreamPort);
    const r = await readAll(await open(port), 3000);
    expect(r.ending).not.toBe('open');
    expect(r.data.length).toBe(0);
  });

  it('enabled:false cuts existing connections and refuses new ones', async () => {
    const { name, port } = await proxyWith(echo.port);
    const s = await open(port);
    const reading = readAll(s, 3000);
    await api('POST', `/proxies/${name}`, { enabled: false });
    expect((await reading).ending).not.toBe('open');
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
