// Helpers of test/harness-honesty.test.ts: ways to look at a real fleet next to the harness,
// without changing the harness. The seam is the Runtime interface: a tapped runtime starts the
// real fleet through the process runtime, hands the test the endpoints and the run directory while
// the case runs, and lets it take a last look before the fleet is stopped.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseScenarioText, type ScenarioCase } from '../harness/scenario/index.ts';
import type { FleetEndpoints, FleetHandle, Runtime } from '../harness/runtime/index.ts';
import { nowMs, phaseStreamKey, DEFAULT_KEY_PREFIX } from '../fleet-sim/model.ts';

export interface Tap {
  /** Runs in the background once the fleet is up; runDir is where history.jsonl is being written. */
  whileUp?: (ep: FleetEndpoints, runDir: string) => Promise<void>;
  /** Runs after the runner is done with the fleet and before the fleet stops. */
  beforeStop?: (ep: FleetEndpoints) => Promise<void>;
}

export function tappedRuntime(base: Runtime, tap: Tap): Runtime & { background: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  return {
    name: base.name,
    background: () => running,
    async start(req, signal): Promise<FleetHandle> {
      const h = await base.start(req, signal);
      // runScenarioCase gives the fleet `<runDir>/fleet` as its data directory.
      if (tap.whileUp) running = tap.whileUp(h.endpoints, dirname(req.dataDir));
      running.catch(() => {});
      return {
        endpoints: h.endpoints,
        exited: () => h.exited(),
        async stop() {
          try {
            if (tap.beforeStop) await tap.beforeStop(h.endpoints);
          } finally {
            await h.stop();
          }
        },
      };
    },
  };
}

export function scenarioCase(yaml: string, file = 'test/harness-honesty.yaml'): ScenarioCase {
  const loaded = parseScenarioText(yaml, file);
  if (loaded.cases.length !== 1) throw new Error(`killdrill: expected one case in ${file}, got ${loaded.cases.length}`);
  return loaded.cases[0];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until history.jsonl (written op by op as the run goes) holds an op matching `pred`. */
export async function waitForOp(runDir: string, pred: (op: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
  const file = join(runDir, 'history.jsonl');
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        let op: Record<string, unknown>;
        try {
          op = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue; // a line being written
        }
        if (pred(op)) return op;
      }
    }
    await sleep(5);
  }
  throw new Error(`killdrill: no matching op in ${file} within ${timeoutMs} ms`);
}

export interface StreamEntry {
  id: string;
  slug: string;
  phase: string;
  at: number;
  from: string;
}

/** The bots' phase stream, read straight from Redis (contracts §2), not through the harness. */
export async function readPhaseStream(redisUrl: string, keyPrefix = DEFAULT_KEY_PREFIX): Promise<StreamEntry[]> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const rows = (await r.xrange(phaseStreamKey(keyPrefix), '-', '+')) as Array<[string, string[]]>;
    return rows.map(([id, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      return { id, slug: f.slug, phase: f.phase, at: Number(f.at), from: f.from ?? '' };
    });
  } finally {
    r.disconnect();
  }
}

export interface PhaseLogEntry {
  slug: string;
  phase: string;
  at: number;
  from: string;
  host: string;
  daemon: string;
  pid: number;
}

/**
 * The daemons' own logs of their phase changes (contracts §6: `<dataDir>/phases/<host>.<daemon>.jsonl`,
 * written by each daemon as the transition happens). Neither Redis nor the harness is in the way, so
 * it is a record the harness's figures can be checked against, not the stream they were copied from.
 */
export function readPhaseLogs(dataDir: string): PhaseLogEntry[] {
  const dir = join(dataDir, 'phases');
  if (!existsSync(dir)) throw new Error(`killdrill: no daemon phase logs in ${dir}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as PhaseLogEntry));
}

export async function getAuthed<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`killdrill: GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/** The venue's NDJSON TCP address: the upstream of the `gateway-venue` link (contracts §12). */
export async function venueAddress(ep: FleetEndpoints): Promise<{ host: string; port: number }> {
  if (!ep.proxyUrl) throw new Error('killdrill: the fleet reported no proxyUrl, so the venue port is unknown');
  const res = await fetch(`${ep.proxyUrl}/proxies/gateway-venue`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`killdrill: ${ep.proxyUrl}/proxies/gateway-venue answered ${res.status}`);
  const { upstream } = (await res.json()) as { upstream: string };
  const i = upstream.lastIndexOf(':');
  return { host: upstream.slice(0, i) || '127.0.0.1', port: Number(upstream.slice(i + 1)) };
}

export interface RosterBot {
  slug: string;
  fleet: string;
  tenant: string;
  group: string;
  asset: string;
  capability?: string;
  run?: string;
}

export interface VenueReply {
  id: number;
  ok: boolean;
  seq?: number;
  receivedAt?: number;
  error?: string;
}

/** Sends effects straight to the venue, bypassing bots and gateway: fresh keys, dispatchedAt = now. */
export async function sendToVenue(addr: { host: string; port: number }, effects: Array<{ bot: RosterBot; kind: 'order' | 'cancel' }>): Promise<VenueReply[]> {
  const sock = connect(addr.port, addr.host);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const replies = new Map<number, VenueReply>();
  let buf = '';
  const done = new Promise<void>((resolve, reject) => {
    sock.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const r = JSON.parse(buf.slice(0, nl)) as VenueReply;
        buf = buf.slice(nl + 1);
        replies.set(r.id, r);
        if (replies.size === effects.length) resolve();
      }
    });
    sock.once('error', reject);
    sock.once('close', () => (replies.size === effects.length ? resolve() : reject(new Error(`killdrill: the venue closed after ${replies.size}/${effects.length} replies`))));
  });
  const tag = randomBytes(4).toString('hex');
  const lines = effects.map(({ bot, kind }, i) => {
    const b = { key: `honesty-${tag}-${i}`, bot: bot.slug, fleet: bot.fleet, tenant: bot.tenant, group: bot.group, asset: bot.asset, capability: bot.capability ?? 'order-entry', run: bot.run ?? `run-${bot.slug}` };
    const fields = kind === 'cancel' ? { kind, orderKey: `honesty-${tag}-none` } : { kind, side: 'buy', qty: 1 };
    return JSON.stringify({ id: i, ...b, ...fields, dispatchedAt: nowMs() });
  });
  sock.write(lines.join('\n') + '\n');
  try {
    await done;
  } finally {
    sock.destroy();
  }
  return effects.map((_, i) => replies.get(i)!);
}
