// Benchmark (prints figures; not a test): process vs docker runtime on this machine, in one run.
//   node bench/docker.ts [--preset principal] [--bots 16] [--starts 3] [--scenario scenarios/incidents/broker-amnesia.yaml]
//  1. fleet start-up: runtime.start() until the `sim up --json` line (fleet ready), then stop;
//     `--starts` times each, median and max. The fleet image is built (or found cached) first
//     and reported separately — it is not part of start-up.
//  2. one incident scenario's wall time on each runtime, with its outcome and failing checkers.
import { mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerRuntime, processRuntime, type Runtime } from '../harness/runtime/index.ts';
import { loadScenarioFile } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const PRESET = arg('preset', 'principal');
const BOTS = Number(arg('bots', '16'));
const STARTS = Number(arg('starts', '3'));
const SCENARIO = arg('scenario', join(import.meta.dirname, '..', 'scenarios', 'incidents', 'broker-amnesia.yaml'));
const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const t0 = performance.now();
const tag = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'docker', 'build-fleet-image.ts')], { encoding: 'utf8', env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true' } }).trim();
process.stdout.write(`fleet image: ${tag}; build or cache check ${s1(performance.now() - t0)}\n`);

async function startups(rt: Runtime): Promise<{ ready: number[]; stop: number[] }> {
  const ready: number[] = [];
  const stop: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'killdrill-bench-docker-'));
    const a = performance.now();
    const h = await rt.start({ preset: PRESET, bots: BOTS, runId: `bench-${rt.name}-${process.pid}-${i}`, dataDir });
    const b = performance.now();
    await h.stop();
    stop.push(performance.now() - b);
    ready.push(b - a);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { ready, stop };
}

async function scenario(rt: Runtime): Promise<string> {
  const [c] = loadScenarioFile(SCENARIO).cases;
  const a = performance.now();
  const r = await runScenarioCase(c, { outDir: join(import.meta.dirname, '..', 'out', 'bench-docker'), runtime: rt, progress: silentProgress, signal: new AbortController().signal });
  const failing = (r.result.verdicts ?? []).filter((v) => !v.valid).map((v) => v.checker).sort();
  return `${s1(performance.now() - a)}  ${r.outcome}  failing: ${failing.join(', ') || '—'}`;
}

process.stdout.write(`\nfleet start-up (${PRESET}, ${BOTS} bots, ${STARTS}×): ready = the sim up line; stop = until sim up exited\n`);
for (const rt of [processRuntime, dockerRuntime]) {
  const r = await startups(rt);
  process.stdout.write(`  ${rt.name.padEnd(8)} ready median ${s1(median(r.ready))} max ${s1(Math.max(...r.ready))}   stop median ${s1(median(r.stop))}\n`);
}
process.stdout.write(`\nincident ${SCENARIO.split('/').pop()} wall time (fleet start → verdicts → fleet stopped)\n`);
for (const rt of [processRuntime, dockerRuntime]) process.stdout.write(`  ${rt.name.padEnd(8)} ${await scenario(rt)}\n`);
