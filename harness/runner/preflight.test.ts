// preflight() against a real redis-server and a small HTTP target (ledger, journal, venue, broker
// /status): what passes, what it clears of a dead run, what it refuses (each must-fail case), the
// lease and the record it leaves while the case runs, and what end() removes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { DEFAULT_KEY_PREFIX, killKey, phaseHashKey } from '../../contracts/index.ts';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.ts';
import { preflight, PreflightInputError, type PreflightInput } from './preflight.ts';
import { leaseKey, runsKey, type RunRecord } from './preflight-lease.ts';
import { leverReason } from '../kill-paths/run-marks.ts';
import type { OpInput } from './emit.ts';
import type { TargetEndpoints } from '../runtime/index.ts';
import { freePort } from '../../lib/ports.ts';

const P = DEFAULT_KEY_PREFIX;
const bots = [
  { slug: 'mm-1', host: 'a', daemon: 'mm-a', fleet: 'market-making', tenant: 't', group: 'bots', class: 'hft', asset: 'AAPL', tags: ['trading'] },
  { slug: 'sa-1', host: 'a', daemon: 'sa-a', fleet: 'stat-arb', tenant: 't', group: 'quant-agents', class: 'standard', asset: 'MSFT', tags: ['trading'] },
];

let redis: RedisServer;
let client: Redis;
let http: Server;
let base = '';
let brokerStatus = 200;
let daemonsReads = 0;
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
  http = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path.endsWith('/daemons')) daemonsReads++;
    if (path === '/status') {
      res.writeHead(brokerStatus, { 'content-type': 'application/json' }).end(JSON.stringify(brokerStatus === 200 ? { haltLevel: 0, incident: null, engaged: [] } : { error: 'killdrill: bad token' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(path === '/ledger' ? '{"effects":[],"next":0}' : path === '/journal' ? '{"entries":[],"next":null}' : '[]');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  client.disconnect();
  await new Promise<void>((r) => http.close(() => r()));
  await redis.stop();
});
beforeEach(async () => {
  brokerStatus = 200;
  daemonsReads = 0;
  await client.flushall();
  for (const b of bots) await client.hset(phaseHashKey(P), b.slug, JSON.stringify({ slug: b.slug, phase: 'Running', at: 1 }));
});

const endpoints = (over: Partial<TargetEndpoints> = {}): TargetEndpoints => ({
  redisUrl: redis.url, brokerUrl: base, token: 't', releaseToken: 'rt', hosts: {},
  reads: { bots: { url: `${base}/bots` }, ledger: { url: `${base}/ledger` }, journal: { url: `${base}/journal` }, venue: { url: base } },
  ...over,
});

function input(over: Partial<PreflightInput> = {}) {
  const ops: OpInput[] = [];
  const notes: string[] = [];
  const i: PreflightInput = { ep: endpoints(), keyPrefix: P, runId: 'run-now', scenario: 's', caseId: 'default', faults: [], bots, inScope: ['mm-1'], restartBudgetMs: 2000, emit: (o) => void ops.push(o), note: (l) => void notes.push(l), ...over };
  return { i, ops, notes };
}
const op = (ops: OpInput[]) => ops.find((o) => o.type === 'preflight')!;

describe('preflight', () => {
  it('passes on a quiet target: the op with its figures, the lease and record while the case runs, both gone at its end', async () => {
    const { i, ops } = input();
    const pass = await preflight(i);
    expect(op(ops)).toMatchObject({ ok: true, problems: [], cleared: [], inScope: 1, notRunning: [], maxClockOffsetMs: 250, lease: leaseKey(P, 'run-now') });
    expect((op(ops).endpoints as Array<{ endpoint: string; ok: boolean }>).map((e) => [e.endpoint, e.ok])).toEqual([['ledger', true], ['journal', true], ['venue', true], ['broker', true]]);
    expect((op(ops).clock as { boundMs: number }).boundMs).toBeLessThan(250);
    expect(await client.pttl(leaseKey(P, 'run-now'))).toBeGreaterThan(10_000);
    expect(await client.hexists(runsKey(P), 'run-now')).toBe(1);
    await pass.end();
    expect(await client.exists(leaseKey(P, 'run-now'))).toBe(0);
    expect(await client.hexists(runsKey(P), 'run-now')).toBe(0);
  });

  it("records the hosts' /daemons reads the runner made (hostChecks) as they are and does not read them again; without them it reads each host once", async () => {
    const hosts = { a: `${base}/a`, b: `${base}/b` };
    const given = [{ endpoint: 'host a', url: `${base}/a/daemons`, ok: true, status: 200, ms: 3 }, { endpoint: 'host b', url: `${base}/b/daemons`, ok: true, status: 200, ms: 4 }];
    const reused = input({ ep: endpoints({ hosts }), hostChecks: given });
    await (await preflight(reused.i)).end();
    expect(daemonsReads).toBe(0);
    expect((op(reused.ops).endpoints as unknown[]).slice(-2)).toEqual(given);
    const probed = input({ ep: endpoints({ hosts }) });
    await (await preflight(probed.i)).end();
    expect(daemonsReads).toBe(2);
    const shape = (e: Record<string, unknown>) => ({ ...e, ms: 0 });
    expect((op(probed.ops).endpoints as Array<Record<string, unknown>>).map(shape)).toEqual((op(reused.ops).endpoints as Array<Record<string, unknown>>).map(shape));
  });

  it('a case that ends with its kill still pulled keeps its record (the next run clears it); the lease goes', async () => {
    const { i } = input();
    const pass = await preflight(i);
    pass.see({ type: 'lever-issued', lever: 'kill' });
    await pass.end();
    expect(await client.exists(leaseKey(P, 'run-now'))).toBe(0);
    expect(await client.hexists(runsKey(P), 'run-now')).toBe(1);
  });

  it("clears a dead run's kill key (no lease) and its record, records it, and passes", async () => {
    const key = killKey(P, 'fleet', 'market-making');
    await client.set(key, JSON.stringify({ mode: 'cancel', reason: leverReason('dead-1', 'redis', 'default'), by: 'killdrill', at: 1 }));
    const record: RunRecord = { runId: 'dead-1', host: 'elsewhere', pid: 1, startedAt: 1, scenario: 'x', caseId: 'default', proxyUrl: null, baseline: {}, faults: {} };
    await client.hset(runsKey(P), 'dead-1', JSON.stringify(record));
    const { i, ops, notes } = input();
    const pass = await preflight(i);
    expect(notes).toEqual([`killdrill: preflight: cleared kill key ${key} left by dead run dead-1 (DEL (and a release event))`]);
    expect(ops.filter((o) => o.type === 'dead-run-cleared')).toEqual([expect.objectContaining({ runId: 'dead-1', what: `kill key ${key}`, how: 'DEL (and a release event)', ok: true })]);
    expect(await client.exists(key)).toBe(0);
    expect(await client.hexists(runsKey(P), 'dead-1')).toBe(0);
    expect(op(ops)).toMatchObject({ ok: true });
    await pass.end();
  });

  it("refuses someone else's kill over an in-scope bot and leaves it; no lease taken", async () => {
    const key = killKey(P, 'bot', 'mm-1');
    await client.set(key, 'manual-emergency');
    const { i, ops } = input();
    await expect(preflight(i)).rejects.toThrow(/kill key alphaswarm:bots:killswitch:bot:mm-1 is already engaged over 1 in-scope bot\(s\) \(mm-1\)[\s\S]*preflight failed, so no fault was injected and no lever pulled/);
    expect(op(ops)).toMatchObject({ ok: false });
    expect(await client.get(key)).toBe('manual-emergency');
    expect(await client.exists(leaseKey(P, 'run-now'))).toBe(0);
  });

  it('refuses a live run on the target (its record and a lease from another host)', async () => {
    await client.set(leaseKey(P, 'other'), JSON.stringify({ runId: 'other', host: 'ci-9', pid: 7, startedAt: 1, ttlMs: 15000 }), 'PX', 15000);
    await client.hset(runsKey(P), 'other', JSON.stringify({ runId: 'other', host: 'ci-9', pid: 7, startedAt: 1, scenario: 'y', caseId: 'c', proxyUrl: null, baseline: {}, faults: {} }));
    const { i } = input();
    await expect(preflight(i)).rejects.toThrow(/another killdrill run is drilling this target \(killdrill run other \(pid 7 on ci-9\) holds a live lease/);
    expect(await client.hexists(runsKey(P), 'other')).toBe(1);
  });

  it('refuses an in-scope bot that is not Running (no dead run cleared: no wait)', async () => {
    await client.hset(phaseHashKey(P), 'mm-1', JSON.stringify({ slug: 'mm-1', phase: 'Stopped', at: 2 }));
    const { i, ops } = input();
    await expect(preflight(i)).rejects.toThrow(/1 in-scope bot\(s\) are not Running: mm-1 \(Stopped\)/);
    expect(op(ops).notRunning).toEqual(['mm-1 (Stopped)']);
  });

  it('refuses a clock it cannot bound within --max-clock-offset', async () => {
    const { i, ops } = input({ maxClockOffsetMs: 0.001 });
    await expect(preflight(i)).rejects.toThrow(/the clock of the target's Redis \(redis:\/\/127\.0\.0\.1:\d+\) cannot be bounded within 0 ms/);
    expect(op(ops)).toMatchObject({ ok: false, maxClockOffsetMs: 0.001 });
  });

  it('an endpoint that refuses the token is the user\'s input (PreflightInputError)', async () => {
    brokerStatus = 401;
    const { i } = input();
    await expect(preflight(i)).rejects.toBeInstanceOf(PreflightInputError);
    await expect(preflight(input().i)).rejects.toThrow(/the broker \(http:\/\/127\.0\.0\.1:\d+\/status\) refused the token it was given \(401\); check the environment variable/);
  });

  it("a Redis that does not answer: refused naming it (the target's fault, not the user's)", async () => {
    const closed = await freePort();
    const { i, ops } = input({ ep: endpoints({ redisUrl: `redis://127.0.0.1:${closed}` }) });
    const err = await preflight(i).then(() => null, (e: unknown) => e as Error);
    expect(err).not.toBeInstanceOf(PreflightInputError);
    expect(err?.message).toMatch(new RegExp(`the target's Redis redis://127.0.0.1:${closed} does not answer`));
    expect(op(ops)).toMatchObject({ ok: false });
  });

  it('a Redis that wants a password it was not given: the user\'s input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-pf-auth-'));
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', 'sekret'], { stdio: 'ignore' });
    try {
      let err: Error | null = null;
      for (let tries = 0; tries < 100; tries++) {
        err = await preflight(input({ ep: endpoints({ redisUrl: `redis://127.0.0.1:${port}` }) }).i).then(() => null, (e: unknown) => e as Error);
        if (err instanceof PreflightInputError) break;
        await new Promise((r) => setTimeout(r, 50)); // until redis-server listens
      }
      expect(err, err?.message).toBeInstanceOf(PreflightInputError);
      expect(err!.message).toMatch(/NOAUTH|WRONGPASS|Authentication required/i);
      expect(err!.message).not.toContain('sekret');
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
