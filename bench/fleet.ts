// Benchmark of the simulated fleet (prints figures; not a test).
//   node bench/fleet.ts [--bots 1000] [--seconds 60] [--tick-ms 200] [--engages 5]
// Starts alphaswarm through the observable interface (`sim up --json`, as the harness
// does) and measures, on this machine:
//  1. sustained accepted effects/s over the window and p50/p99 effect latency
//     (dispatchedAt at the bot → receivedAt at the venue, through gateway and proxy);
//  2. engage through pub/sub (SET + PUBLISH, as the broker does) → every bot Draining:
//     per engage, the time to the LAST bot's Draining; p50/p99 over all bots' times;
//     and one engage through the broker's REST API, for context;
//  3. peak memory of every process of the run (found by KILLDRILL_RUN_ID): summed PSS and RSS.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { processRuntime } from '../harness/runtime/index.ts';
import { eventsChannel, killKey, nowMs, phaseHashKey, DEFAULT_KEY_PREFIX } from '../fleet-sim/model.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const BOTS = arg('bots', 1000);
const SECONDS = arg('seconds', 60);
const TICK_MS = arg('tick-ms', 200);
const ENGAGES = arg('engages', 5);

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f1 = (x: number) => x.toFixed(1);

/** The component a process of the run is, from its argv (daemons summed under `daemon`). */
function componentOf(pid: string): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const mod = argv.find((a) => /\/(fleet-sim|fault-proxy|harness)\/.*\.(ts|sh)$/.test(a) && !a.endsWith('parent-watch.ts')) ?? argv[0];
  if (mod.includes('redis-server')) return 'redis-server';
  return mod.replace(/^.*\/(fleet-sim|fault-proxy|harness)\//, '').replace(/\/main\.ts$|\.ts$/, '').replace(/^main$/, 'fault-proxy');
}

/** Every process of the run (found by KILLDRILL_RUN_ID, and the children of those: redis-server hides its environment). */
function runPids(runId: string): string[] {
  const mine = new Set<string>();
  const parent = new Map<string, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(d, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (readFileSync(`/proc/${d}/environ`, 'latin1').includes(`KILLDRILL_RUN_ID=${runId}\0`)) mine.add(d);
    } catch {
      // the process ended while we looked
    }
  }
  for (const [pid, ppid] of parent) if (mine.has(ppid)) mine.add(pid);
  return [...mine];
}

/**
 * Memory of the run's processes by component, in bytes: RSS and PSS (smaps_rollup). Every
 * node process maps the same ~48 MB of node binary and compile cache; summed RSS counts those
 * shared pages once per process, summed PSS divides them among the processes that share them,
 * so the PSS sum is what the fleet really occupies.
 */
function runMem(runId: string): { rss: Map<string, number>; pss: Map<string, number> } {
  const rss = new Map<string, number>();
  const pss = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const d of runPids(runId)) {
    try {
      const text = readFileSync(`/proc/${d}/smaps_rollup`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
      const c = componentOf(d);
      add(rss, c, kb('Rss'));
      add(pss, c, kb('Pss'));
    } catch {
      // the process ended while we looked
    }
  }
  return { rss, pss };
}

/** CPU seconds (utime+stime) of every process of the run, by component (from its argv). */
function runCpu(runId: string): Map<string, number> {
  const hz = 100; // USER_HZ on Linux
  const by = new Map<string, number>();
  for (const d of runPids(runId)) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / hz;
      const name = componentOf(d);
      by.set(name, (by.get(name) ?? 0) + cpu);
    } catch {
      // the process ended while we looked
    }
  }
  return by;
}

async function post(url: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`killdrill: ${url} answered ${res.status}: ${await res.text()}`);
}

const runId = `bench-fleet-${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'killdrill-bench-'));
const t0 = nowMs();
const fleet = await processRuntime.start({
  preset: 'alphaswarm',
  bots: BOTS,
  runId,
  dataDir,
  overrides: { classes: Object.fromEntries(['hft', 'standard', 'paper', 'agent'].map((c) => [c, { tickMs: TICK_MS }])) },
});
const startS = (nowMs() - t0) / 1000;
// Start-up ends when the operator has mirrored every bot as a Bot resource with its phase
// (1,000 creates and status writes): the sustained-load window starts after it.
const kc = new KubeConfig();
kc.loadFromFile(fleet.endpoints.kubeconfig!);
const kube = kc.makeApiClient(CustomObjectsApi);
let mirrored = 0;
while (nowMs() - t0 < 180_000) {
  const list = (await kube.listNamespacedCustomObject({ group: 'quantbot.io', version: 'v1', namespace: 'alphaswarm-bots', plural: 'bots' })) as { items: Array<{ status?: { phase?: string } }> };
  mirrored = list.items.filter((o) => o.status?.phase === 'Running').length;
  if (mirrored >= BOTS) break;
  await new Promise((r) => setTimeout(r, 500));
}
const mirroredS = (nowMs() - t0) / 1000;
const ep = fleet.endpoints;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
let peakRss = 0;
let peakPss = 0;
let peakPssBy = new Map<string, number>();
const memTimer = setInterval(() => {
  const m = runMem(runId);
  peakRss = Math.max(peakRss, sum(m.rss));
  if (sum(m.pss) > peakPss) [peakPss, peakPssBy] = [sum(m.pss), m.pss];
}, 1000);
try {
  console.log(`fleet: alphaswarm, ${BOTS} bots, tickMs ${TICK_MS} for every class; up and every bot Running in ${f1(startS)} s; ${mirrored} Bot resources mirrored Running after ${f1(mirroredS)} s`);
  // 1. Throughput and latency. Skip what landed during start-up.
  const page = async (after: number) => (await (await fetch(`${ep.venueUrl}/ledger?after=${after}&limit=10000`)).json()) as { effects: Array<{ dispatchedAt: number; receivedAt: number }>; next: number };
  let after = (await page(0)).next;
  await new Promise((r) => setTimeout(r, 2000));
  after = (await (async () => { let a = after; for (;;) { const p = await page(a); if (p.effects.length === 0) return a; a = p.next; } })());
  const cpu0 = runCpu(runId);
  const wStart = nowMs();
  const latencies: number[] = [];
  while (nowMs() - wStart < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    for (;;) {
      const p = await page(after);
      for (const e of p.effects) latencies.push(e.receivedAt - e.dispatchedAt);
      after = p.next;
      if (p.effects.length < 10000) break;
    }
  }
  const wS = (nowMs() - wStart) / 1000;
  const cpu1 = runCpu(runId);
  const use = [...cpu1].map(([k, v]) => [k, (100 * (v - (cpu0.get(k) ?? 0))) / wS] as const).sort((a, b) => b[1] - a[1]);
  console.log(`cpu during the window (% of one core): total ${Math.round(use.reduce((a, [, v]) => a + v, 0))}; ${use.map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
  console.log(`effects: ${latencies.length} accepted in ${f1(wS)} s = ${Math.round(latencies.length / wS)} effects/s; latency dispatch→venue p50 ${f1(pct(latencies, 50))} ms, p99 ${f1(pct(latencies, 99))} ms, max ${f1(latencies.reduce((a, b) => Math.max(a, b), 0))} ms`);

  // 2. Engage through pub/sub → every bot Draining. The bench engages as the broker does
  // (MULTI: SET the platform kill key, PUBLISH the engage event; kill-store.ts), timed from
  // just before the MULTI. One more engage through the broker's REST API is timed from the
  // POST, for context (it adds the broker's request handling, not pub/sub).
  const redis = new Redis(ep.redisUrl);
  await redis.ping(); // connected before the first engage is timed
  const key = killKey(DEFAULT_KEY_PREFIX, 'platform', 'platform');
  const lasts: number[] = [];
  const all: number[] = [];
  const engageOnce = async (label: string, how: 'pubsub' | 'rest') => {
    const issued = nowMs();
    if (how === 'pubsub') {
      const value = JSON.stringify({ mode: 'cancel', reason: `bench ${label}`, by: 'bench', at: issued });
      await redis.multi().set(key, value).publish(eventsChannel(DEFAULT_KEY_PREFIX), JSON.stringify({ op: 'engage', key, value, at: issued })).exec();
    } else await post(`${ep.brokerUrl}/killswitch`, ep.token, { scope: 'platform', target: 'platform', mode: 'cancel', reason: `bench ${label}` });
    const answeredMs = nowMs() - issued;
    const draining = new Map<string, number>();
    const deadline = issued + 30_000;
    while (draining.size < BOTS && nowMs() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const h = await redis.hgetall(phaseHashKey(DEFAULT_KEY_PREFIX));
      for (const [slug, v] of Object.entries(h)) {
        const p = JSON.parse(v) as { phase: string; at: number };
        // The hash holds the latest phase; Stopped implies Draining came first: read its time from the stream below.
        if (p.phase !== 'Running' && !draining.has(slug)) draining.set(slug, NaN);
      }
    }
    // Exact Draining times from the phase stream.
    const entries = (await redis.xrange(`${DEFAULT_KEY_PREFIX.split(':').slice(0, -1).join(':')}:phases`, String(Math.floor(issued)), '+')) as Array<[string, string[]]>;
    const times = new Map<string, number>();
    /** The last bot's Draining per daemon: tells a slow daemon from a slow fleet. */
    const perDaemon = new Map<string, number>();
    for (const [, fields] of entries) {
      const f: Record<string, string> = {};
      for (let k = 0; k + 1 < fields.length; k += 2) f[fields[k]] = fields[k + 1];
      if (f.phase === 'Draining' && Number(f.at) >= issued && !times.has(f.slug)) {
        times.set(f.slug, Number(f.at) - issued);
        const d = `${f.host}/${f.daemon}`;
        perDaemon.set(d, Math.max(perDaemon.get(d) ?? 0, Number(f.at) - issued));
      }
    }
    const ts = [...times.values()];
    const last = Math.max(...ts);
    const slowest = [...perDaemon].sort((x, y) => y[1] - x[1])[0];
    console.log(`engage ${label} (${how}): ${how === 'pubsub' ? 'published' : 'broker answered'} after ${f1(answeredMs)} ms; ${times.size}/${BOTS} bots Draining; last after ${f1(last)} ms (slowest daemon ${slowest?.[0]})`);
    await post(`${ep.brokerUrl}/killswitch/release`, ep.releaseToken, { scope: 'platform', target: 'platform' });
    const back = nowMs() + 30_000;
    while (nowMs() < back) {
      const h = await redis.hgetall(phaseHashKey(DEFAULT_KEY_PREFIX));
      if (Object.values(h).filter((v) => (JSON.parse(v) as { phase: string }).phase === 'Running').length === BOTS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return { ts, last };
  };
  for (let i = 0; i < ENGAGES; i++) {
    const r = await engageOnce(String(i + 1), 'pubsub');
    all.push(...r.ts);
    lasts.push(r.last);
  }
  await engageOnce('rest', 'rest');
  redis.disconnect();
  console.log(`engage → Draining over ${ENGAGES} engages × ${BOTS} bots: p50 ${f1(pct(all, 50))} ms, p99 ${f1(pct(all, 99))} ms; last bot per engage p50 ${f1(pct(lasts, 50))} ms, max ${f1(Math.max(...lasts))} ms`);
} finally {
  clearInterval(memTimer);
  const mib = (b: number) => Math.round(b / 2 ** 20);
  console.log(`peak memory of every process of the run: summed PSS ${mib(peakPss)} MiB (${(peakPss / 1e9).toFixed(2)} GB; ${[...peakPssBy].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}); summed RSS ${mib(peakRss)} MiB (counts the shared node binary once per process)`);
  await fleet.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
