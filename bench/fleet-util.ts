// What the fleet benchmarks share (fleet-ramp.ts, fleet-soak.ts): start alphaswarm through the
// process runtime as the harness does, wait for every bot Running (the phase hash in Redis, one
// HGETALL a second), measure a window of accepted effects at the venue, and CPU per component.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { processRuntime } from '../harness/runtime/index.ts';
import { nowMs, phaseHashKey, DEFAULT_KEY_PREFIX } from '../fleet-sim/model.ts';
import { runCpu } from './run-procs.ts';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
export const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchFleet {
  runId: string;
  ep: { venueUrl: string; redisUrl: string; brokerUrl: string; token: string; releaseToken: string };
  /** From the start call to every bot Running (null: not all within the timeout), s. */
  runningS: number | null;
  running: number;
  stop(): Promise<void>;
}

/** alphaswarm with `bots` bots, every class ticking every `tickMs`; resolves once every bot is Running or `timeoutMs` passed. */
export async function startBenchFleet(bots: number, tickMs: number, tag: string, timeoutMs = 180_000): Promise<BenchFleet> {
  const runId = `bench-${tag}-${process.pid}-${Math.round(nowMs())}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'killdrill-bench-'));
  const t0 = nowMs();
  const fleet = await processRuntime.start({
    preset: 'alphaswarm',
    bots,
    runId,
    dataDir,
    overrides: { classes: Object.fromEntries(['hft', 'standard', 'paper', 'agent'].map((c) => [c, { tickMs }])) },
  });
  const ep = fleet.endpoints as unknown as BenchFleet['ep'];
  const redis = new Redis(ep.redisUrl);
  let running = 0;
  let runningS: number | null = null;
  try {
    while (nowMs() - t0 < timeoutMs) {
      const h = await redis.hgetall(phaseHashKey(DEFAULT_KEY_PREFIX));
      running = Object.values(h).filter((v) => (JSON.parse(v) as { phase: string }).phase === 'Running').length;
      if (running >= bots) {
        runningS = (nowMs() - t0) / 1000;
        break;
      }
      await sleep(1000);
    }
  } finally {
    redis.disconnect();
  }
  return {
    runId,
    ep,
    runningS,
    running,
    stop: async () => {
      await fleet.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Window {
  seconds: number;
  accepted: number;
  acceptedPerS: number;
  p50: number;
  p99: number;
  /** % of one core per component over the window, highest first. */
  cpu: Array<readonly [string, number]>;
}

/** Accepted effects at the venue over `seconds` (its seq range between two GET /health), their dispatch→venue latency (paged from GET /ledger after the window), and CPU per component. */
export async function measureWindow(f: BenchFleet, seconds: number): Promise<Window> {
  const venue = f.ep.venueUrl;
  const seqNow = async () => ((await (await fetch(`${venue}/health`)).json()) as { effects: number }).effects;
  const cpu0 = runCpu(f.runId);
  const seq0 = await seqNow();
  const w0 = nowMs();
  await sleep(seconds * 1000);
  const seq1 = await seqNow();
  const wS = (nowMs() - w0) / 1000;
  const cpu1 = runCpu(f.runId);
  const lat: number[] = [];
  for (let after = seq0; after < seq1; ) {
    const p = (await (await fetch(`${venue}/ledger?after=${after}&limit=10000`)).json()) as { effects: Array<{ dispatchedAt: number; receivedAt: number }>; next: number };
    for (const e of p.effects.slice(0, seq1 - after)) lat.push(e.receivedAt - e.dispatchedAt);
    if (p.effects.length === 0) break;
    after = p.next;
  }
  const cpu = [...cpu1].map(([k, v]) => [k, (100 * (v - (cpu0.get(k) ?? 0))) / wS] as const).sort((a, b) => b[1] - a[1]);
  return { seconds: wS, accepted: lat.length, acceptedPerS: lat.length / wS, p50: pct(lat, 50), p99: pct(lat, 99), cpu };
}

export const cpuLine = (cpu: Window['cpu']) => `total ${Math.round(cpu.reduce((a, [, v]) => a + v, 0))} %; ${cpu.map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`;
