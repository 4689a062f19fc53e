// redis_channel_drop (killdrill extension): unit tests of the RESP filter, and the toxic
// against a real redis-server with ioredis subscribers on two channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createChannelDropFilter, startProxyServer, type ProxyServerHandle } from './index.ts';
import { connectTo, listenPort } from './test-helpers.ts';
import { freePort } from '../lib/ports.ts';

const bulk = (s: string): string => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const message = (channel: string, payload: string): string => `*3\r\n${bulk('message')}${bulk(channel)}${bulk(payload)}`;
const pmessage = (pattern: string, channel: string, payload: string): string =>
  `*4\r\n${bulk('pmessage')}${bulk(pattern)}${bulk(channel)}${bulk(payload)}`;

describe('RESP channel-drop filter', () => {
  const keep = [
    `*3\r\n${bulk('subscribe')}${bulk('kill')}:1\r\n`,
    message('other', 'hello'),
    '+OK\r\n',
    ':42\r\n',
    '$-1\r\n',
    '*2\r\n$3\r\nfoo\r\n*1\r\n:1\r\n',
    `>3\r\n${bulk('message')}${bulk('killx')}${bulk('p')}`,
    '%1\r\n+a\r\n:1\r\n',
  ];
  const drop = [message('kill', 'stop now'), pmessage('k*', 'kill', 'x'), `>3\r\n${bulk('message')}${bulk('kill')}${bulk('r3')}`];

  it('drops only the named channel’s deliveries, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }),
        (picks, cuts) => {
          const frames = picks.map((d, i) => (d ? drop[i % drop.length] : keep[i % keep.length]));
          const input = Buffer.from(frames.join(''));
          const expected = Buffer.from(picks.map((d, i) => (d ? '' : keep[i % keep.length])).join(''));
          const filter = createChannelDropFilter('kill');
          const out: Buffer[] = [];
          let pos = 0;
          let k = 0;
          while (pos < input.length) {
            const n = cuts[k++ % cuts.length];
            out.push(filter.filter(input.subarray(pos, pos + n)));
            pos += n;
          }
          expect(Buffer.concat(out).toString()).toBe(expected.toString());
          expect(filter.dropped).toBe(picks.filter(Boolean).length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('passes a non-RESP stream through untouched', () => {
    const filter = createChannelDropFilter('kill');
    expect(filter.filter(Buffer.from('GET / HTTP/1.1\r\n')).toString()).toBe('GET / HTTP/1.1\r\n');
    expect(filter.filter(Buffer.from(message('kill', 'x'))).toString()).toBe(message('kill', 'x'));
  });
});

describe('redis_channel_drop on a real redis-server', () => {
  let redis: ChildProcess | undefined;
  let dir: string;
  let redisPort = 0;
  let server: ProxyServerHandle;
  const clients: Redis[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'killdrill-redis-'));
    server = await startProxyServer();
    // Port 0 is not allowed for redis-server: a free port below the ephemeral range (lib/ports.ts).
    redisPort = await freePort();
    redis = spawn('/usr/bin/redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    // Wait until redis-server accepts connections (plain TCP probe, no client retries).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await connectTo(redisPort).then(
        (s) => (s.destroy(), true),
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error('killdrill: redis-server did not start within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.close();
    if (redis && redis.exitCode === null) {
      const exited = new Promise((r) => redis!.once('exit', r));
      redis.kill('SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('drops one channel’s messages while the connection and other channels stay healthy', async () => {
    const res = await fetch(`${server.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: 'redis', listen: '127.0.0.1:0', upstream: `127.0.0.1:${redisPort}` }),
    });
    const port = listenPort(((await res.json()) as { listen: string }).listen);
    const toxic = await fetch(`${server.url}/proxies/redis/toxics`, {
      method: 'POST',
      body: JSON.stringify({ type: 'redis_channel_drop', attributes: { channel: 'kill' } }),
    });
    expect(toxic.status).toBe(200);
    expect(await toxic.json()).toMatchObject({ name: 'redis_channel_drop_downstream', attributes: { channel: 'kill' } });

    const sub = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    const pub = new Redis({ host: '127.0.0.1', port: redisPort });
    clients.push(sub, pub);
    const got: Record<string, string[]> = { kill: [], other: [] };
    sub.on('message', (channel: string, msg: string) => got[channel]?.push(msg));
    await sub.subscribe('kill', 'other');
    for (let i = 0; i < 20; i++) {
      await pub.publish('kill', `k${i}`);
      await pub.publish('other', `o${i}`);
    }
    // 'other' is delivered in order after every 'kill' publish, so once o19 is in, all kills have passed.
    const deadline = Date.now() + 5000;
    while (got.other.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got.other).toEqual(Array.from({ length: 20 }, (_, i) => `o${i}`));
    expect(got.kill).toEqual([]);
    // The connection stays healthy for commands too.
    const direct = new Redis({ host: '127.0.0.1', port });
    clients.push(direct);
    await direct.set('k', 'v');
    expect(await direct.get('k')).toBe('v');

    // Removing the toxic lets the channel through again, on the same subscriber connection.
    expect((await fetch(`${server.url}/proxies/redis/toxics/redis_channel_drop_downstream`, { method: 'DELETE' })).status).toBe(204);
    await pub.publish('kill', 'after');
    await pub.publish('other', 'after');
    const deadline2 = Date.now() + 5000;
    while (got.other.length < 21 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 20));
    expect(got.kill).toEqual(['after']);
  });
});
