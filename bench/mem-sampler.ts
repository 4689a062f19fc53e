// A worker thread that samples the memory of a benchmark's fleet until told to stop, then posts
// the peaks: every second the machine's MemAvailable and each process's RSS; every fifth second
// also each process's PSS (smaps_rollup: ~5 ms a process). In its own thread, so the /proc
// reads never hold up the timed work on the benchmark's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { memAvailable, runMem, runPids } from './run-procs.ts';

const { runId, everyMs, availableBefore } = workerData as { runId: string; everyMs: number; availableBefore: number };
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
let pids = runPids(runId);
let samples = 0;
let busyMs = 0;
let peakRss = 0;
let peakPss = 0;
let peakPssBy: Array<[string, number]> = [];
let minAvailable = memAvailable();
const timer = setInterval(() => {
  const t0 = performance.now();
  if (++samples % 10 === 0) pids = runPids(runId); // a restarted process has a new pid
  minAvailable = Math.min(minAvailable, memAvailable());
  const m = runMem(pids, samples % 5 === 1);
  peakRss = Math.max(peakRss, sum(m.rss));
  if (sum(m.pss) > peakPss) [peakPss, peakPssBy] = [sum(m.pss), [...m.pss]];
  busyMs += performance.now() - t0;
}, everyMs);
parentPort!.once('message', () => {
  clearInterval(timer);
  parentPort!.postMessage({ samples, processes: pids.length, msPerSample: busyMs / Math.max(1, samples), peakRss, peakPss, peakPssBy, machinePeak: availableBefore - minAvailable });
});
