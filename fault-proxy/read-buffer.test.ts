// The upstream is read into a reused buffer (connection.ts): a chunk still held when the next
// read comes (a slow client's socket buffer, a toxic's queue) must not be overwritten by it.
// Real TCP: an upstream sends a payload where every 4-byte word is its own offset, so any
// overwritten or reordered byte shows; the client reads it through the proxy byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { startProxyServer, type ProxyServerHandle } from './index.ts';
import { connectTo, listenPort } from './test-helpers.ts';

const BYTES = 8 << 20;
const PAYLOAD = Buffer.alloc(BYTES);
for (let i = 0; i < BYTES; i += 4) PAYLOAD.writeUInt32LE(i, i);

let server: ProxyServerHandle;
let upstream: Server;
let upstreamPort = 0;
let counter = 0;

beforeAll(async () => {
  server = await startProxyServer();
  // Writes the payload in uneven pieces, so reads come in every size up to the buffer's.
  upstream = createServer((s) => {
    s.on('error', () => {});
    let at = 0;
    const more = (): void => {
      while (at < BYTES) {
        const n = Math.min(BYTES - at, 1 + ((at * 7919) % 100_000));
        const ok = s.write(PAYLOAD.subarray(at, at + n));
        at += n;
        if (!ok) return void s.once('drain', more);
      }
      s.end();
    };
    more();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
  upstreamPort = (upstream.address() as { port: number }).port;
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function proxyWith(toxics: unknown[]): Promise<number> {
  const name = `rb${++counter}`;
  const res = await fetch(`${server.url}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }),
  });
  const { listen } = (await res.json()) as { listen: string };
  for (const t of toxics) await fetch(`${server.url}/proxies/${name}/toxics`, { method: 'POST', body: JSON.stringify(t) });
  return listenPort(listen);
}

/** Reads everything; `stallEvery` pauses the reader for a few ms that often (its socket buffer fills). */
function readAllSlowly(s: Socket, stallEvery: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let n = 0;
    s.on('data', (d: Buffer) => {
      parts.push(d);
      if (++n % stallEvery === 0) {
        s.pause();
        setTimeout(() => s.resume(), 5);
      }
    });
    s.on('close', () => resolve(Buffer.concat(parts)));
  });
}

function firstDifference(got: Buffer): number {
  if (got.equals(PAYLOAD)) return -1;
  for (let i = 0; i < Math.min(got.length, BYTES); i++) if (got[i] !== PAYLOAD[i]) return i;
  return Math.min(got.length, BYTES);
}

describe('upstream reads into a reused buffer', () => {
  it('a slow client gets every byte in order (chunks held by its socket buffer are not overwritten)', async () => {
    const s = await connectTo(await proxyWith([]));
    const got = await readAllSlowly(s, 3);
    expect({ length: got.length, firstDifference: firstDifference(got) }).toEqual({ length: BYTES, firstDifference: -1 });
  });

  it('chunks queued by a toxic are not overwritten either (slicer, then latency)', async () => {
    const port = await proxyWith([
      { type: 'slicer', attributes: { average_size: 30_000, size_variation: 20_000, delay: 0 } },
      { type: 'latency', attributes: { latency: 1, jitter: 0 } },
    ]);
    const s = await connectTo(port);
    const got = await readAllSlowly(s, 5);
    expect({ length: got.length, firstDifference: firstDifference(got) }).toEqual({ length: BYTES, firstDifference: -1 });
  });
});
