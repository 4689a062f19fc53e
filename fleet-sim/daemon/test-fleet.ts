// Test support (not product code): starts a real redis-server, the venue, the gateway and
// bot daemons as real processes in a temp dir, from a hand-written FleetFile whose links
// go direct (listen = upstream). Used by the daemon, gateway and venue tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parseFleetConfig, type FleetConfigInput } from '../config.ts';
import type { FleetFile } from '../fleet-file.ts';
import { phaseHashKey, type Bot, type BotClass, type Group } from '../model.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

import { freePort } from '../../lib/ports.ts';

export { freePort };

export function testBot(slug: string, cls: BotClass, o: Partial<Bot> = {}): Bot {
  const group: Group = cls === 'hft' ? 'bots' : cls === 'agent' ? 'agents' : cls === 'paper' ? 'paper' : 'quant-agents';
  return { slug, host: 'node-a', daemon: 'd1', fleet: `${cls}-fleet`, tenant: 'tenant-a', group, class: cls, asset: 'AAPL', capability: 'cap', run: `run-${slug}`, ...o };
}

export interface Proc {
  child: ChildProcess;
  ready: Record<string, unknown>;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

export async function startProc(args: string[], runId: string, timeoutMs = 15_000): Promise<Proc> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KILLDRILL_RUN_ID: runId } });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err = (err + d).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`killdrill: ${args.join(' ')} not ready in ${timeoutMs} ms: ${err}`)), timeoutMs);
    lines.once('line', (l) => {
      clearTimeout(t);
      resolve(JSON.parse(l) as Record<string, unknown>);
    });
    void exited.then((x) => reject(new Error(`killdrill: ${args.join(' ')} exited (${x.code}/${x.signal}): ${err}`)));
  });
  lines.on('line', () => {});
  return { child, ready, stderr: () => err, exited };
}

export interface TestFleet {
  dir: string;
  fleetPath: string;
  fleet: FleetFile;
  /** A client of the test's own (direct) Redis connection. */
  redis: Redis;
  venueUrl: string;
  procs: Map<string, Proc>;
  startRedis(): Promise<void>;
  stopRedis(): Promise<void>;
  startVenue(): Promise<Proc>;
  startGateway(): Promise<Proc>;
  startDaemon(host: string, daemon: string): Promise<Proc>;
  ledger(): Promise<Array<Record<string, unknown> & { seq: number; bot: string; kind: string; key: string; receivedAt: number; dispatchedAt: number }>>;
  phases(): Promise<Record<string, { phase: string; at: number; from: string; reason: string }>>;
  journal(): Array<Record<string, unknown> & { type: string; key: string; bot: string }>;
  close(): Promise<void>;
}

export async function startTestFleet(bots: Bot[], config: FleetConfigInput = {}, start: { gateway?: boolean; daemons?: boolean } = {}): Promise<TestFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'killdrill-exec-'));
  const runId = `test-${Date.now().toString(36)}`;
  const [redisPort, venueHttp, venueTcp, gatewayTcp] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const cfg = parseFleetConfig({ ...config, dataDir: dir });
  const hosts = [...new Set(bots.map((b) => b.host))];
  const r = `127.0.0.1:${redisPort}`;
  const gw = `127.0.0.1:${gatewayTcp}`;
  const links: FleetFile['links'] = { 'gateway-redis': { listen: r, upstream: r }, 'gateway-venue': { listen: `127.0.0.1:${venueTcp}`, upstream: `127.0.0.1:${venueTcp}` } };
  for (const h of hosts) {
    links[`bots-redis-sub.${h}`] = { listen: r, upstream: r };
    links[`bots-redis-poll.${h}`] = { listen: r, upstream: r };
    links[`bots-gateway.${h}`] = { listen: gw, upstream: gw };
  }
  const fleet: FleetFile = {
    runId,
    config: { ...cfg, dataDir: dir },
    topology: {
      preset: 'alphaswarm',
      brokerHost: 'control',
      bots,
      hosts: hosts.map((h) => ({ name: h, daemons: [...new Set(bots.filter((b) => b.host === h).map((b) => b.daemon))].map((d) => ({ name: d, host: h, kind: 'bots' as const, tags: ['trading'], keepAlive: 'on-failure' as const })) })),
    },
    token: 't',
    releaseToken: 'rt',
    redis: { host: '127.0.0.1', port: redisPort },
    ports: { broker: 0, venueHttp, venueTcp, gatewayTcp, control: 0, supervisors: {} },
    links,
  };
  const fleetPath = join(dir, 'fleet.json');
  writeFileSync(fleetPath, JSON.stringify(fleet, null, 2));
  const procs = new Map<string, Proc>();
  let redisProc: ChildProcess | null = null;
  const redis = new Redis({ host: '127.0.0.1', port: redisPort, lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});

  const t: TestFleet = {
    dir,
    fleetPath,
    fleet,
    redis,
    venueUrl: `http://127.0.0.1:${venueHttp}`,
    procs,
    async startRedis() {
      redisProc = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
      const probe = new Redis({ host: '127.0.0.1', port: redisPort, lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => {});
      for (let i = 0; i < 200; i++) {
        try {
          await probe.connect();
          await probe.ping();
          probe.disconnect();
          if (redis.status === 'wait') await redis.connect();
          return;
        } catch {
          await new Promise((res) => setTimeout(res, 25));
        }
      }
      throw new Error('killdrill: redis-server did not start');
    },
    async stopRedis() {
      const p = redisProc;
      if (!p) return;
      redisProc = null;
      const gone = new Promise((res) => p.on('exit', res));
      p.kill('SIGKILL');
      await gone;
    },
    async startVenue() {
      const p = await startProc([join(ROOT, 'venue', 'main.ts'), fleetPath], runId);
      procs.set('venue', p);
      return p;
    },
    async startGateway() {
      const p = await startProc([join(ROOT, 'gateway', 'main.ts'), fleetPath], runId);
      procs.set('gateway', p);
      return p;
    },
    async startDaemon(host, daemon) {
      const p = await startProc([join(ROOT, 'daemon', 'main.ts'), fleetPath, host, daemon], runId);
      procs.set(`${host}/${daemon}`, p);
      return p;
    },
    async ledger() {
      const out: Awaited<ReturnType<TestFleet['ledger']>> = [];
      let after = 0;
      for (;;) {
        const page = (await (await fetch(`${t.venueUrl}/ledger?after=${after}&limit=10000`)).json()) as { effects: typeof out; next: number };
        out.push(...page.effects);
        if (page.effects.length < 10000) return out;
        after = page.next;
      }
    },
    async phases() {
      const h = await redis.hgetall(phaseHashKey(cfg.keyPrefix));
      return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, JSON.parse(v)]));
    },
    journal() {
      const jd = join(dir, 'journal');
      const out: ReturnType<TestFleet['journal']> = [];
      for (const f of readdirSync(jd))
        for (const line of readFileSync(join(jd, f), 'utf8').split('\n'))
          if (line.trim())
            try {
              out.push(JSON.parse(line));
            } catch {
              // torn last line after a SIGKILL
            }
      return out;
    },
    async close() {
      const all = [...procs.values()];
      for (const p of all) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await Promise.all(all.map((p) => p.exited));
      redis.disconnect();
      await t.stopRedis();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await t.startRedis();
  await t.startVenue();
  if (start.gateway !== false) await t.startGateway();
  if (start.daemons !== false) for (const hd of new Set(bots.map((b) => `${b.host}/${b.daemon}`))) await t.startDaemon(hd.split('/')[0], hd.split('/')[1]);
  return t;
}

/** Polls `fn` until it returns a truthy value (or throws after `ms`, naming `what`). */
export async function waitFor<T>(what: string, fn: () => Promise<T> | T, ms = 10_000): Promise<NonNullable<T>> {
  const t0 = Date.now();
  let last: T | undefined;
  while (Date.now() - t0 < ms) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`killdrill: timed out after ${ms} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}
