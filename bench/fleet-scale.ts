// The largest alphaswarm fleet this machine holds (issue 15 item 4):
//   node bench/fleet.ts --mode scale [--list 2000,5000,10000,15000,20000] [--seconds 10] [--engages 5]
// Runs bench/fleet.ts (its default mode) at each size in turn, as its own process, and stops at the
// first size that does not hold: every bot Running, and engage → last Draining p99 ≤ 50 ms (its
// `scale:` line). Prints each size's start-up, last-Draining p99 and memory (MemAvailable drop, summed
// PSS), then the largest that held.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const get = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = get('list', '2000,5000,10000,15000,20000').split(',').map(Number);
const seconds = get('seconds', '10');
const engages = get('engages', '5');
const fleetTs = fileURLToPath(new URL('./fleet.ts', import.meta.url));

let largest: { bots: number; lines: string[] } | null = null;
for (const bots of sizes) {
  const lines: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const c = spawn(process.execPath, [fleetTs, '--bots', String(bots), '--seconds', seconds, '--engages', engages], { stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    c.stdout.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        console.log(`  [${bots}] ${l}`);
      }
    });
    c.on('exit', (code) => resolve(code));
  });
  const verdict = lines.find((l) => l.startsWith('scale:'));
  const holds = code === 0 && verdict !== undefined && verdict.endsWith('(every bot Running, every bot Draining on every engage, last Draining p99 ≤ 50 ms)') && / holds \(/.test(verdict);
  console.log(`size ${bots}: ${holds ? 'holds' : `does not hold (${verdict ?? `bench/fleet.ts exited ${code} without a scale line`})`}`);
  if (!holds) break;
  largest = { bots, lines };
}
if (largest) {
  console.log(`largest fleet held: ${largest.bots} bots`);
  for (const l of largest.lines.filter((x) => /^(fleet:|scale:|peak memory|cpu during)/.test(x))) console.log(`  ${l}`);
} else {
  console.log(`largest fleet held: none of ${sizes.join(', ')}; try smaller sizes (--list)`);
  process.exitCode = 1;
}
