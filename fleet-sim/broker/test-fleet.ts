// Test-only setup for the broker's tests: a real redis-server on a free port in a temp dir,
// a throwaway HTTP "supervisor" per host that records the stops/starts it receives (and,
// like launchctl, says ok for any daemon), a hand-written FleetFile, and the broker as a
// real child process (`node fleet-sim/broker/main.ts <fleet.json>`).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseFleetConfig, type FleetConfigInput } from '../config.ts';
import type { FleetFile } from '../fleet-file.ts';
import { topologyFor } from '../presets/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const NODE = join(ROOT, 'node_modules/.bin/node');

import { freePort } from '../../lib/ports.ts';

export { freePort };

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`killdrill: test setup: ${what} not ready within ${timeoutMs} ms`);
}

export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(dir: string): Promise<RedisServer> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const { Redis } = await import('ioredis');
  await waitFor('redis-server', async () => {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => {});
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } finally {
      c.disconnect();
    }
  });
  return { port, stop: () => stopChild(proc) };
}

function stopChild(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    proc.once('exit', () => r());
    proc.kill(signal);
  });
}

export interface SupervisorCall {
  verb: 'stop' | 'start';
  daemon: string;
  auth: string | undefined;
}

export interface FakeSupervisor {
  host: string;
  port: number;
  calls: SupervisorCall[];
  close(): Promise<void>;
}

/** Stands in for a host supervisor inside the broker's unit tests: records, always `{ok: true}`. */
export async function startFakeSupervisor(host: string): Promise<FakeSupervisor> {
  const calls: SupervisorCall[] = [];
  const server: Server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const m = /^\/daemons\/([^/]+)\/(stop|start)$/.exec(req.url ?? '');
      if (req.method === 'POST' && m) {
        calls.push({ verb: m[2] as 'stop' | 'start', daemon: decodeURIComponent(m[1]), auth: req.headers.authorization });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else res.writeHead(404).end('{"error":"killdrill: no such route"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { host, port, calls, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

export interface TestFleet {
  dir: string;
  file: FleetFile;
  fleetPath: string;
  url: string;
  redis: RedisServer;
  supervisors: Record<string, FakeSupervisor>;
  /** Calls every supervisor got, as `<receiving host>:<verb>:<daemon>`. */
  received(): string[];
  broker: BrokerProcess;
  /** Starts the broker again (after kill9/stop), same fleet file and port. */
  restart(): Promise<BrokerProcess>;
  close(): Promise<void>;
}

export interface BrokerProcess {
  proc: ChildProcess;
  ready: { url: string; pid: number; bootId: string };
  stderr(): string;
  alive(): boolean;
  kill9(): Promise<void>;
}

export async function startBrokerProcess(fleetPath: string): Promise<BrokerProcess> {
  const proc = spawn(NODE, [join(ROOT, 'fleet-sim/broker/main.ts'), fleetPath], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<BrokerProcess['ready']>((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`killdrill: test setup: broker not ready in 15 s; stderr: ${err}`)), 15_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(t);
        res(JSON.parse(out.slice(0, nl)));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`killdrill: test setup: broker exited (${code}) before ready; stderr: ${err}`));
    });
  });
  return {
    proc,
    ready,
    stderr: () => err,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    kill9: () => stopChild(proc, 'SIGKILL'),
  };
}

export interface PreparedFleet {
  dir: string;
  file: FleetFile;
  fleetPath: string;
  url: string;
  redis: RedisServer;
  /** Recording stand-ins, for every host not in `realHosts`. */
  supervisors: Record<string, FakeSupervisor>;
  close(): Promise<void>;
}

/**
 * Redis, supervisors and the fleet file, without the broker. Hosts in `realHosts` get a free
 * port in the fleet file and no stand-in: the test starts the real supervisor there.
 */
export async function prepareFleet(config: FleetConfigInput = {}, realHosts: string[] = []): Promise<PreparedFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'killdrill-broker-'));
  const redis = await startRedis(dir);
  const cfg = { ...parseFleetConfig({ preset: 'principal', ...config }), dataDir: join(dir, 'data') };
  const topology = topologyFor(cfg.preset, cfg.bots);
  const supervisors: Record<string, FakeSupervisor> = {};
  const ports: Record<string, number> = {};
  for (const h of topology.hosts) {
    if (realHosts.includes(h.name)) ports[h.name] = await freePort();
    else {
      supervisors[h.name] = await startFakeSupervisor(h.name);
      ports[h.name] = supervisors[h.name].port;
    }
  }
  const links: FleetFile['links'] = { 'broker-redis': { listen: `127.0.0.1:${redis.port}`, upstream: `127.0.0.1:${redis.port}` } };
  for (const [host, port] of Object.entries(ports)) links[`broker-hosts.${host}`] = { listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${port}` };
  const file: FleetFile = {
    runId: 'broker-test',
    config: cfg,
    topology,
    token: randomBytes(12).toString('hex'),
    releaseToken: randomBytes(12).toString('hex'),
    redis: { host: '127.0.0.1', port: redis.port },
    ports: { broker: await freePort(), venueHttp: 0, venueTcp: 0, gatewayTcp: 0, control: 0, supervisors: ports },
    links,
  };
  const fleetPath = join(dir, 'fleet.json');
  writeFileSync(fleetPath, JSON.stringify(file, null, 2));
  return {
    dir,
    file,
    fleetPath,
    url: `http://127.0.0.1:${file.ports.broker}`,
    redis,
    supervisors,
    async close() {
      await redis.stop();
      for (const s of Object.values(supervisors)) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startTestFleet(config: FleetConfigInput = {}): Promise<TestFleet> {
  const p = await prepareFleet(config);
  const fleet: TestFleet = {
    ...p,
    received: () => Object.values(p.supervisors).flatMap((s) => s.calls.map((c) => `${s.host}:${c.verb}:${c.daemon}`)),
    broker: await startBrokerProcess(p.fleetPath),
    async restart() {
      fleet.broker = await startBrokerProcess(p.fleetPath);
      return fleet.broker;
    },
    async close() {
      await fleet.broker.kill9();
      await p.close();
    },
  };
  return fleet;
}

export interface ApiResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request to the broker; `body` is JSON-encoded unless it is already a string. */
export async function api(url: string, method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult> {
  const h: Record<string, string> = { ...headers };
  if (token !== null) h.authorization = `Bearer ${token}`;
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // raw text
  }
  return { status: res.status, body: parsed };
}
