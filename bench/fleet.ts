// Benchmark of the simulated fleet (prints figures; not a test).
//   node bench/fleet.ts [--bots 1000] [--seconds 60] [--tick-ms 200] [--engages 5]
// Starts alphaswarm through the observable interface (`sim up --json`, as the harness
// does) and measures, on this machine:
//  1. sustained accepted effects/s over the window and p50/p99 effect latency
//     (dispatchedAt at the bot → receivedAt at the venue, through gateway and proxy);
//  2. engage through pub/sub (SET + PUBLISH, as the broker does) → every bot Draining:
//     per engage, the time to the LAST bot's Draining; p50/p99 over all bots' times;
//     and one engage through the broker's REST API, for context;
//  3. peak memory, sampled in a worker thread from start-up on: the drop of the machine's
//     MemAvailable, and summed PSS and RSS of every process of the run (by KILLDRILL_RUN_ID);
//  4. a scale verdict: every bot Running, and engage → last Draining p99 ≤ 50 ms.
// Other modes (docs/benchmarks.md): `--mode ramp` the open-loop ramp to the ceiling (fleet-ramp.ts),
// `--mode scale` this run at growing fleets up to the largest that holds (fleet-scale.ts),
// `--mode soak` operator/apiserver memory over time and a plateau verdict (fleet-soak.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { memAvailable, runCpu } from './run-procs.ts';
import { processRuntime } from '../harness/runtime/index.ts';
import { eventsChannel, killKey, nowMs, phaseHashKey, DEFAULT_KEY_PREFIX } from '../fleet-sim/model.ts';

const mi = process.argv.indexOf('--mode');
const MODE = mi >= 0 ? process.argv[mi + 1] : 'window';
if (MODE !== 'window') {
  if (!['ramp', 'scale', 'soak'].includes(MODE)) {
    console.error(`killdrill: --mode ${MODE} is not a fleet benchmark; use ramp, scale or soak (or leave --mode out)`);
    process.exit(2);
  }
  await import(`./fleet-${MODE}.ts`);
  process.exit(process.exitCode ?? 0);
}

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

async function post(url: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`killdrill: ${url} answered ${res.status}: ${await res.text()}`);
}

const runId = `bench-fleet-${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'killdrill-bench-'));
// The machine's available memory before the fleet: the drop from it is what the fleet took.
const availableBefore = memAvailable();
const t0 = nowMs();
const fleet = await processRuntime.start({
  preset: 'alphaswarm',
  bots: BOTS,
  runId,
  dataDir,
  overrides: { classes: Object.fromEntries(['hft', 'standard', 'paper', 'agent'].map((c) => [c, { tickMs: TICK_MS }])) },
});
const startS = (nowMs() - t0) / 1000;
// Memory is sampled from here (start-up included: the operator's 1,000 creates) to the end.
const sampler = new Worker(new URL('./mem-sampler.ts', import.meta.url), { workerData: { runId, everyMs: 1000, availableBefore } });
try {
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
  console.log(`fleet: alphaswarm, ${BOTS} bots, tickMs ${TICK_MS} for every class; up and every bot Running in ${f1(startS)} s; ${mirrored} Bot resources mirrored Running after ${f1(mirroredS)} s`);
  // 1. Throughput and latency over a window that starts 2 s after start-up. The window is the
  // venue's seq range between two GET /health (which only reads a counter); its effects are
  // paged from GET /ledger after the window ends, so reading them does not load the fleet
  // while it is measured.
  const page = async (after: number) => (await (await fetch(`${ep.venueUrl}/ledger?after=${after}&limit=10000`)).json()) as { effects: Array<{ dispatchedAt: number; receivedAt: number }>; next: number };
  const seqNow = async () => ((await (await fetch(`${ep.venueUrl}/health`)).json()) as { effects: number }).effects;
  await new Promise((r) => setTimeout(r, 2000));
  const cpu0 = runCpu(runId);
  const seq0 = await seqNow();
  const wStart = nowMs();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const seq1 = await seqNow();
  const wS = (nowMs() - wStart) / 1000;
  const cpu1 = runCpu(runId);
  const latencies: number[] = [];
  for (let after = seq0; after < seq1; ) {
    const p = await page(after);
    for (const e of p.effects.slice(0, seq1 - after)) latencies.push(e.receivedAt - e.dispatchedAt);
    if (p.effects.length === 0) throw new Error(`killdrill: the venue's ledger ends at ${after}, before ${seq1}`);
    after = p.next;
  }
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
  // The scale bar (issue 15): every bot Running and engage → last Draining p99 ≤ 50 ms (fleet-scale.ts reads this line).
  const lastP99 = pct(lasts, 99);
  const holds = mirrored >= BOTS && lasts.length === ENGAGES && all.length === ENGAGES * BOTS && lastP99 <= 50;
  console.log(`scale: ${BOTS} bots, ${mirrored} Running, start-up ${f1(startS)} s, last Draining p99 ${f1(lastP99)} ms: ${holds ? 'holds' : 'does not hold'} (every bot Running, every bot Draining on every engage, last Draining p99 ≤ 50 ms)`);
} finally {
  try {
    const mem = await new Promise<{ samples: number; processes: number; msPerSample: number; peakRss: number; peakPss: number; peakPssBy: Array<[string, number]>; machinePeak: number }>((resolve, reject) => {
      sampler.once('message', resolve);
      sampler.once('error', reject);
      sampler.postMessage('stop');
    });
    const mib = (b: number) => Math.round(b / 2 ** 20);
    console.log(`memory sampler (its own thread): ${mem.samples} samples of ${mem.processes} processes, ${f1(mem.msPerSample)} ms each (PSS every fifth)`);
    console.log(`peak memory taken from the machine (MemAvailable before the fleet − its lowest during the run): ${mib(mem.machinePeak)} MiB (${(mem.machinePeak / 1e9).toFixed(2)} GB)`);
    console.log(`peak memory of every process of the run: summed PSS ${mib(mem.peakPss)} MiB (${(mem.peakPss / 1e9).toFixed(2)} GB; ${mem.peakPssBy.sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}); summed RSS ${mib(mem.peakRss)} MiB (counts the shared node binary once per process)`);
  } catch (err) {
    console.error(`killdrill: the memory sampler failed (${(err as Error).message}); no memory figures`);
    process.exitCode = 1;
  } finally {
    await sampler.terminate();
    await fleet.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
