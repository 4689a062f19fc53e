// `killdrill sim up` end to end: real redis-server, proxy, venue, gateway, supervisors,
// broker and bot daemons as real processes; stopping leaves nothing behind.
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CLI, runPids, simUpChild } from './support/sim-up-child.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Line {
  runId: string;
  preset: string;
  redisUrl: string;
  brokerUrl: string;
  venueUrl: string;
  token: string;
  releaseToken: string;
  controlUrl: string;
  hosts: Record<string, string>;
  dataDir: string;
  proxyUrl: string;
  links: Record<string, { listen: string; upstream: string }>;
}
interface Component {
  name: string;
  kind: string;
  host?: string;
  pid: number | null;
  state: string;
}

async function noneLeft(runId: string, timeoutMs: number): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  let left = runPids(runId);
  while (left.length && Date.now() < end) {
    await sleep(200);
    left = runPids(runId);
  }
  return left;
}

function simUp(config: Record<string, unknown>, runId: string, env: NodeJS.ProcessEnv = process.env) {
  return simUpChild<Line>(config, { runId, env });
}

async function api<T>(l: Line, method: string, path: string): Promise<T> {
  const res = await fetch(`${l.controlUrl}${path}`, { method, headers: { authorization: `Bearer ${l.token}` }, signal: AbortSignal.timeout(60_000) });
  const body = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

describe('sim up: input errors', () => {
  it('an invalid config exits 2 naming the field', async () => {
    const s = simUp({ preset: 'principal', pollIntervalS: -1 }, `t-invalid-${process.pid}`);
    expect(await s.exited).toBe(2);
    expect(s.stderr()).toMatch(/^killdrill: invalid fleet config/);
    expect(s.stderr()).toContain('pollIntervalS');
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('without redis-server on PATH exits 3 and says how to install it', async () => {
    const s = simUp({ preset: 'principal' }, `t-noredis-${process.pid}`, { ...process.env, PATH: '/nonexistent' });
    expect(await s.exited).toBe(3);
    expect(s.stderr()).toContain('killdrill: redis-server not found on PATH; install it (Debian/Ubuntu: sudo apt-get install redis-server)');
    rmSync(s.dir, { recursive: true, force: true });
  });
});

describe('sim up: start failure', () => {
  it('an external proxy that does not answer exits 3 with what to do, leaving nothing running', async () => {
    const runId = `t-noproxy-${process.pid}-${Date.now()}`;
    const s = simUp({ preset: 'principal', proxyUrl: 'http://127.0.0.1:1' }, runId);
    expect(await s.exited).toBe(3);
    expect(s.stderr()).toMatch(/^killdrill: could not create the links on the external proxy http:\/\/127\.0\.0\.1:1: .*check that it is a running Toxiproxy/);
    expect(runPids(runId)).toEqual([]);
    rmSync(s.dir, { recursive: true, force: true });
  });
});

describe('sim up: principal fleet', () => {
  it('starts, reports every component, controls them, and SIGTERM leaves no process of the run', async () => {
    const runId = `t-principal-${process.pid}-${Date.now()}`;
    const s = simUp({ preset: 'principal', bots: 8, pollIntervalS: 1 }, runId);
    const l = await s.line;
    expect(l).toMatchObject({ runId, preset: 'principal', dataDir: join(s.dir, 'data') });
    expect(Object.keys(l.hosts).sort()).toEqual(['knox', 'tesseract']);
    expect((statSync(join(l.dataDir, 'fleet.json')).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(l.dataDir, 'pids.json')).mode & 0o777).toString(8)).toBe('600');

    const comps = await api<Component[]>(l, 'GET', '/components');
    const names = comps.map((c) => c.name);
    for (const n of ['redis', 'venue', 'gateway', 'proxy', 'supervisor.knox', 'supervisor.tesseract', 'broker', 'sentinel', 'horus', 'foresight', 'gateway-redis', 'broker-hosts.tesseract', 'bots-redis-sub.knox']) expect(names).toContain(n);
    // Every process is running with its pid; the auth provider (JWKS) is served by sim up itself: no pid, 'serving'.
    expect(comps.filter((c) => c.kind !== 'link' && c.kind !== 'auth').every((c) => c.state === 'running' && typeof c.pid === 'number')).toBe(true);
    expect(comps.filter((c) => c.kind === 'auth')).toEqual([expect.objectContaining({ name: 'auth', pid: null, state: 'serving' })]);
    expect(comps.filter((c) => c.kind === 'link').every((c) => c.state === 'enabled')).toBe(true);
    const pidsFile = JSON.parse(readFileSync(join(l.dataDir, 'pids.json'), 'utf8')) as { processes: Array<{ pid: number }> };
    for (const c of comps) if (c.pid !== null) expect(pidsFile.processes.map((p) => p.pid)).toContain(c.pid);

    // The wrong-host incident depends on this: stopping a daemon the host does not have is ok.
    const wrong = await fetch(`${l.hosts.knox}/daemons/foresight/stop`, { method: 'POST', headers: { authorization: `Bearer ${l.token}` } });
    expect(wrong.status).toBe(200);
    expect(await wrong.json()).toEqual({ ok: true });

    // Redis: a real shutdown, then back on the same port with the kill key kept (AOF, fsync always).
    const redis = new Redis(l.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    await redis.connect();
    await redis.set('alphaswarm:bots:killswitch:asset:DOGE-USD', 'drill');
    redis.disconnect();
    const stopped = await api<{ signal: string; pid: number }>(l, 'POST', '/components/redis/stop');
    expect(stopped.signal).toBe('SIGTERM');
    const down = await api<Component[]>(l, 'GET', '/components');
    expect(down.find((c) => c.name === 'redis')).toMatchObject({ state: 'stopped', pid: null });
    await api(l, 'POST', '/components/redis/start');
    const again = new Redis(l.redisUrl, { maxRetriesPerRequest: 1 });
    expect(await again.get('alphaswarm:bots:killswitch:asset:DOGE-USD')).toBe('drill');
    await again.quit();

    // A SIGKILLed broker (KeepAlive) comes back under a new pid.
    const broker = comps.find((c) => c.name === 'broker')!;
    const killed = await api<{ pid: number; signal: string }>(l, 'POST', '/components/broker/kill');
    expect(killed).toMatchObject({ pid: broker.pid, signal: 'SIGKILL' });
    let back: Component | undefined;
    for (let i = 0; i < 50 && !(back && back.pid && back.pid !== broker.pid); i++) {
      await sleep(100);
      back = (await api<Component[]>(l, 'GET', '/components')).find((c) => c.name === 'broker');
    }
    expect(back?.pid).not.toBe(broker.pid);
    expect(back?.state).toBe('running');

    // A link goes down and up through the proxy.
    expect(await api(l, 'POST', '/components/gateway-redis/stop')).toMatchObject({ enabled: false });
    expect((await api<Component[]>(l, 'GET', '/components')).find((c) => c.name === 'gateway-redis')?.state).toBe('disabled');
    expect(await api(l, 'POST', '/components/gateway-redis/start')).toMatchObject({ enabled: true });

    expect(runPids(runId).length).toBeGreaterThan(10);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(runPids(runId)).toEqual([]);
    rmSync(s.dir, { recursive: true, force: true });
  });
});

describe('sim up: alphaswarm fleet', () => {
  it('starts, and when sim up itself is SIGKILLed every child goes away on its own', async () => {
    const runId = `t-alpha-${process.pid}-${Date.now()}`;
    const s = simUp({ preset: 'alphaswarm', bots: 12, pollIntervalS: 1 }, runId);
    const l = await s.line;
    const comps = await api<Component[]>(l, 'GET', '/components');
    const names = comps.map((c) => c.name);
    for (const n of ['redis', 'venue', 'gateway', 'proxy', 'supervisor.control', 'supervisor.node-a', 'supervisor.node-b', 'broker', 'market-making-a', 'bots-gateway.node-b', 'broker-hosts.control']) expect(names).toContain(n);
    const before = runPids(runId);
    expect(before.length).toBeGreaterThan(8);
    s.child.kill('SIGKILL');
    await s.exited;
    expect(await noneLeft(runId, 15_000)).toEqual([]);
    rmSync(s.dir, { recursive: true, force: true });
  });
});
