// `node bench/clock.ts [--procs 40]`: how far apart processes started together would stamp the same
// instant, with Node's `performance.timeOrigin + performance.now()` and with contracts/clock.ts.
// Processes start in parallel next to two CPU hogs, as a fleet's 20 processes start on 2 cores.
// Each child reports the REALTIME − MONOTONIC offset its nowMs() implies, and how far its timeOrigin
// clock is from that (both medians of 201 reads, contracts/clock.ts impliedRealtimeOffsetMs).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { procs: { type: 'string', default: '40' } } });
const procs = Number(values.procs);
if (!Number.isInteger(procs) || procs < 2) {
  console.error('killdrill: --procs needs a whole number ≥ 2');
  process.exit(2);
}
const clock = fileURLToPath(new URL('../contracts/clock.ts', import.meta.url));
const child = `
const { impliedRealtimeOffsetMs } = await import(${JSON.stringify(clock)});
const off = impliedRealtimeOffsetMs(201);
const originErr = impliedRealtimeOffsetMs(201, () => performance.timeOrigin + performance.now()) - off;
console.log(JSON.stringify({ off, originErr }));
`;

const hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
try {
  await new Promise((r) => setTimeout(r, 300));
  const rows = await Promise.all(
    Array.from({ length: procs }, () => new Promise<{ off: number; originErr: number }>((resolve, reject) => {
      const p = spawn(process.execPath, ['--input-type=module', '-e', child], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`killdrill: a clock child exited ${code}`))));
    })),
  );
  const offs = rows.map((r) => r.off);
  const base = offs.reduce((a, b) => a + b, 0) / offs.length;
  const origin = rows.map((r) => r.originErr + (r.off - base)).sort((a, b) => a - b);
  const fmt = (x: number) => `${x.toFixed(3)} ms`;
  console.log(`${procs} processes started together beside 2 CPU hogs`);
  const off1 = origin.filter((e) => Math.abs(e) > 1).length;
  console.log(`  performance.timeOrigin clock: spread ${fmt(origin.at(-1)! - origin[0])} (${off1} of ${procs} off by > 1 ms; worst ${fmt(origin.at(-1)!)})`);
  console.log(`  contracts/clock.ts nowMs():   spread ${((Math.max(...offs) - Math.min(...offs)) * 1000).toFixed(1)} µs`);
} finally {
  for (const h of hogs) h.kill('SIGKILL');
}
