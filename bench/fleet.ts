// Benchmark of the simulated fleet (prints figures; not a test).
//   node bench/fleet.ts [--bots 1000] [--seconds 60] [--tick-ms 200] [--engages 5]
// Starts alphaswarm through the observable interface (`sim up --json`, as the harness
// does) and measures, on this machine:
//  1. sustained accepted effects/s over the window and p50/p99 effect latency
//     (dispatchedAt at the bot → receivedAt at the venue, through gateway and proxy);
//  2. engage through pub/sub (broker POST /killswitch platform) → every bot Draining:
//     per engage, the time to the LAST bot's Draining; p50/p99 over all bots' times;
//  3. peak memory: the summed RSS of every process of the run (found by KILLDRILL_RUN_ID).
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { processRuntime } from '../harness/runtime/index.ts';
import { nowMs, phaseHashKey, DEFAULT_KEY_PREFIX } from '../fleet-sim/model.ts';

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

/** Summed RSS of the run's processes by component, in bytes. */
function runRss(runId: string): Map<string, number> {
  const by = new Map<string, number>();
  for (const d of runPids(runId)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
      if (m) by.set(componentOf(d), (by.get(componentOf(d)) ?? 0) + Number(m[1]) * 1024);
    } catch {
      // the process ended while we looked
    }
  }
  return by;
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
let peakRss = 0;
let peakBy = new Map<string, number>();
const memTimer = setInterval(() => {
  const by = runRss(runId);
  const total = [...by.values()].reduce((a, b) => a + b, 0);
  if (total > peakRss) [peakRss, peakBy] = [total, by];
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

  // 2. Engage through pub/sub → every bot Draining.
  const redis = new Redis(ep.redisUrl);
  const lasts: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < ENGAGES; i++) {
    const issued = nowMs();
    await post(`${ep.brokerUrl}/killswitch`, ep.token, { scope: 'platform', target: 'platform', mode: 'cancel', reason: `bench ${i}` });
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
    for (const [, fields] of entries) {
      const f: Record<string, string> = {};
      for (let k = 0; k + 1 < fields.length; k += 2) f[fields[k]] = fields[k + 1];
      if (f.phase === 'Draining' && Number(f.at) >= issued && !times.has(f.slug)) times.set(f.slug, Number(f.at) - issued);
    }
    const ts = [...times.values()];
    all.push(...ts);
    lasts.push(Math.max(...ts));
    console.log(`engage ${i + 1}: ${times.size}/${BOTS} bots Draining; last after ${f1(Math.max(...ts))} ms`);
    await post(`${ep.brokerUrl}/killswitch/release`, ep.releaseToken, { scope: 'platform', target: 'platform' });
    const back = nowMs() + 30_000;
    while (nowMs() < back) {
      const h = await redis.hgetall(phaseHashKey(DEFAULT_KEY_PREFIX));
      if (Object.values(h).filter((v) => (JSON.parse(v) as { phase: string }).phase === 'Running').length === BOTS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  redis.disconnect();
  console.log(`engage → Draining over ${ENGAGES} engages × ${BOTS} bots: p50 ${f1(pct(all, 50))} ms, p99 ${f1(pct(all, 99))} ms; last bot per engage p50 ${f1(pct(lasts, 50))} ms, max ${f1(Math.max(...lasts))} ms`);
} finally {
  clearInterval(memTimer);
  const mib = (b: number) => Math.round(b / 2 ** 20);
  console.log(`peak memory (every process of the run, summed RSS): ${mib(peakRss)} MiB; ${[...peakBy].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}`);
  await fleet.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
