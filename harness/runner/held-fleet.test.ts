// The gate between a sequence's legs (held-fleet.ts), against a real redis-server and a real HTTP bot
// list: it opens once every bot's latest phase-stream entry is Running, and it must fail — an
// InfraError naming the bots — when one is not Running within the time given. And the held runtime
// starts its inner runtime once, keeps it on every leg's stop(), and stops it on release().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DEFAULT_KEY_PREFIX, phaseStreamKey } from '../../contracts/index.ts';
import { holdFleet, waitAllRunning } from './held-fleet.ts';
import type { AnyRuntime, TargetEndpoints } from '../runtime/index.ts';
import { freePort } from '../../lib/ports.ts';

let redis: ChildProcess;
let bots: Server;
let redisUrl = '';
let botsUrl = '';
let dir = '';
const SLUGS = ['mm-aapl', 'mm-msft', 'sa-spy'];


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kd-held-'));
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  redisUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const c = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => {});
    const ok = await c.connect().then(() => c.ping(), () => null);
    c.disconnect();
    if (ok === 'PONG') break;
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  bots = createServer((_req, res) => res.end(JSON.stringify(SLUGS.map((slug) => ({ slug, host: 'node-a', daemon: 'd', fleet: 'f', class: 'hft' })))));
  await new Promise<void>((r) => bots.listen(0, '127.0.0.1', () => r()));
  botsUrl = `http://127.0.0.1:${(bots.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => bots.close(() => r()));
  await new Promise<void>((r) => (redis.exitCode !== null ? r() : (redis.once('exit', () => r()), redis.kill())));
  rmSync(dir, { recursive: true, force: true });
});

const ep = (): TargetEndpoints => ({ redisUrl, hosts: {}, reads: { bots: { url: `${botsUrl}/bots` }, ledger: { url: `${botsUrl}/ledger` }, journal: { url: `${botsUrl}/journal` } } });

async function phase(slug: string, p: string, at: number): Promise<void> {
  const c = new Redis(redisUrl);
  await c.xadd(phaseStreamKey(DEFAULT_KEY_PREFIX), '*', 'slug', slug, 'phase', p, 'at', String(at), 'from', '', 'reason', '', 'host', 'node-a', 'daemon', 'd', 'pid', '1');
  c.disconnect();
}

describe('the gate between legs', () => {
  it('fails naming the bot that is not Running within the time given, then opens once it is', async () => {
    for (const s of SLUGS) await phase(s, 'Running', 1);
    await phase('mm-msft', 'Stopped', 2);
    await expect(waitAllRunning(ep(), DEFAULT_KEY_PREFIX, 600, undefined, 'leg 2')).rejects.toThrow(/^killdrill: leg 2 did not start: 1 of 3 bot\(s\) were not Running again within 0.6 s of the previous leg's end: mm-msft \(Stopped\); check those bots/);
    await phase('mm-msft', 'Running', 3);
    await expect(waitAllRunning(ep(), DEFAULT_KEY_PREFIX, 600, undefined, 'leg 2')).resolves.toBeUndefined();
  });

  it('a bot with no phase seen keeps it shut', async () => {
    const none = { ...ep(), redisUrl, reads: { ...ep().reads!, bots: { url: `${botsUrl}/bots` } } };
    await phase('mm-aapl', 'Draining', 4);
    await expect(waitAllRunning(none, 'other:prefix:killswitch', 300, undefined, 'leg 3')).rejects.toThrow(/3 of 3 bot\(s\) .*mm-aapl \(no phase seen\)/);
    await phase('mm-aapl', 'Running', 5);
  });
});

describe('the held runtime', () => {
  it('starts its inner runtime once, keeps it on each leg\'s stop(), stops it on release()', async () => {
    const calls = { starts: 0, stops: 0 };
    const inner: AnyRuntime = { name: 'fake', start: async () => (calls.starts++, { endpoints: ep(), exited: () => null, stop: async () => void calls.stops++ }) };
    const held = holdFleet(inner, { keyPrefix: DEFAULT_KEY_PREFIX, runningWithinMs: 2000 });
    expect(held.started()).toBe(false);
    for (let i = 0; i < 3; i++) await (await held.runtime.start({ preset: 'alphaswarm', runId: `r${i}`, dataDir: dir })).stop();
    expect(calls).toEqual({ starts: 1, stops: 0 });
    expect(held.started()).toBe(true);
    await held.release();
    expect(calls).toEqual({ starts: 1, stops: 1 });
  });
});
