// What a fleet's start costs, bundled (fleet-sim/orchestrator/bundle.ts) against from source
// (KILLDRILL_BUNDLE=0), alternating round by round so both see the same machine:
//   node bench/fleet-start.ts [--rounds 5] [--seconds 3]
// Each round starts `killdrill sim up --json` (the default alphaswarm fleet), waits for its JSON
// line (the start), lets it run --seconds, closes its stdin (it stops everything) and reads the
// CPU the whole tree used (cutime+cstime of this process: sim up waits for its children, they for
// theirs). Prints the start wall time and the tree's CPU seconds per variant (mean, min, max).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '3' } } });
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || !(SECONDS >= 0)) {
  process.stderr.write('killdrill: --rounds must be a positive integer and --seconds a non-negative number\n');
  process.exit(2);
}
const CLI = join(import.meta.dirname, '..', 'cli', 'main.ts');
const TICK = 100; // USER_HZ on Linux

/** CPU seconds of this process's waited-for descendants (fields cutime, cstime of /proc/self/stat). */
function childCpuS(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / TICK;
}

async function round(bundled: boolean): Promise<{ startS: number; cpuS: number }> {
  const cpu0 = childCpuS();
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'sim', 'up', '--json'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KILLDRILL_BUNDLE: bundled ? '1' : '0' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  const startS = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', () => resolve((performance.now() - t0) / 1000));
    child.once('exit', (code) => reject(new Error(`sim up exited ${code} before its JSON line: ${err.trim()}`)));
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.stdin.end();
  await exited;
  return { startS, cpuS: childCpuS() - cpu0 };
}

const fmt = (xs: number[]) => `mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
const res = { source: [] as Array<{ startS: number; cpuS: number }>, bundled: [] as Array<{ startS: number; cpuS: number }> };
await round(true); // builds the bundles once (not counted)
for (let i = 0; i < ROUNDS; i++) {
  for (const bundled of i % 2 ? [true, false] : [false, true]) res[bundled ? 'bundled' : 'source'].push(await round(bundled));
}
console.log(`fleet start, alphaswarm default, ${ROUNDS} rounds each, running ${SECONDS} s, load average ${loadavg()[0].toFixed(1)}`);
for (const k of ['source', 'bundled'] as const) {
  console.log(`  ${k.padEnd(8)} start ${fmt(res[k].map((r) => r.startS))} s   tree CPU ${fmt(res[k].map((r) => r.cpuS))} s`);
}
