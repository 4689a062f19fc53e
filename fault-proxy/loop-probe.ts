// Diagnostics for bench/proxy.ts (not loaded in a drill): `node --import <this> fault-proxy/main.ts …`.
// On each SIGUSR2 it writes one JSON line to stderr with what the event loop went through since
// the previous one, then starts over:
//  - `loop`: event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution timer: the
//    probe itself wakes the loop 1,000 times a second), p50/p99/max in µs;
//  - `gc`: collections by kind (PerformanceObserver 'gc'): count, total and longest pause in µs;
//  - `elu`: event-loop utilization (share of the time the loop was busy, not waiting in epoll);
//  - `pauses`: each GC pause of 0.5 ms or more, [start on process.hrtime's clock in ms, µs].
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { writeSync } from 'node:fs';

const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-cb', 16: 'minor-mc' };

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let gc = new Map<string, { count: number; totalUs: number; maxUs: number }>();
/** performance.now() + this = process.hrtime in ms (CLOCK_MONOTONIC, the same clock in every process). */
const HR_OFFSET = Number(process.hrtime.bigint()) / 1e6 - performance.now();
let pauses: [number, number][] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = GC_KINDS[((e as { detail?: { kind?: number } }).detail)?.kind ?? 0] ?? 'other';
    const g = gc.get(kind) ?? { count: 0, totalUs: 0, maxUs: 0 };
    const us = e.duration * 1000;
    g.count++;
    g.totalUs += us;
    g.maxUs = Math.max(g.maxUs, us);
    if (us >= 500) pauses.push([Number((e.startTime + HR_OFFSET).toFixed(3)), Math.round(us)]);
    gc.set(kind, g);
  }
}).observe({ entryTypes: ['gc'] });
let elu = performance.eventLoopUtilization();

process.on('SIGUSR2', () => {
  const now = performance.eventLoopUtilization(elu);
  const us = (ns: number): number => Math.round(ns / 1000);
  const line = {
    probe: 'loop',
    loop: { p50: us(loop.percentile(50)), p99: us(loop.percentile(99)), max: us(loop.max), count: loop.count },
    gc: Object.fromEntries([...gc].map(([k, g]) => [k, { count: g.count, totalUs: Math.round(g.totalUs), maxUs: Math.round(g.maxUs) }])),
    elu: Number(now.utilization.toFixed(4)),
    /** GC pauses of 0.5 ms or more: [start (hrtime ms), µs]. */
    pauses,
  };
  writeSync(2, `${JSON.stringify(line)}\n`);
  loop.reset();
  gc = new Map();
  pauses = [];
  elu = performance.eventLoopUtilization();
});
