// The harness's own load on a target while it observes it (issue 12, closing note): a `sim up`
// stand-in with --bots N (default 1,000) started here as an independent fleet, an external target
// file written from its JSON line, and one case of scenarios/paths/rest.yaml run against it with
// `killdrill run --target`; every HTTP request and Redis command the harness sends is counted by a
// preloaded instrument (bench/support/count-requests.ts). Prints requests/s and Redis commands/s
// over the observed window (fleet-up → observers-stopped), split by endpoint and command.
//   node bench/harness-load.ts [--bots 1000] [--case kill.mode=cancel]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, startStandIn } from '../test/support/stand-in.ts';

const ROOT = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { bots: { type: 'string', default: '1000' }, case: { type: 'string', default: 'kill.mode=cancel' } } });
const BOTS = Number(values.bots);
if (!Number.isInteger(BOTS) || BOTS < 1) {
  process.stderr.write('killdrill: --bots must be a positive integer\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'kd-harness-load-'));
const standIn = await startStandIn({ dir, bots: BOTS, runtime: 'process', name: 'bench-stand-in', sections: ['toxiproxy', 'kubernetes', 'hosts'], echoStderr: true });
process.once('SIGINT', () => void standIn.stop().then(() => process.exit(130)));
try {
  console.log(`stand-in: alphaswarm, ${BOTS} bots, up in ${standIn.startS.toFixed(1)} s`);
  const target = standIn.target;
  const counts = join(dir, 'counts.json');
  const out = join(dir, 'out');
  const run = spawn(process.execPath, ['--import', join(import.meta.dirname, 'support', 'count-requests.ts'), CLI, 'run', join(ROOT, 'scenarios/paths/rest.yaml'), '--case', values.case, '--target', target, '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...standIn.env, KILLDRILL_COUNT_OUT: counts },
  });
  const code = await new Promise<number | null>((r) => run.once('exit', (c) => r(c)));
  const runDir = join(out, 'runs', readdirSync(join(out, 'runs'))[0]);
  const ops = readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: number; type: string });
  const from = ops.find((o) => o.type === 'fleet-up')!.t;
  const to = ops.find((o) => o.type === 'observers-stopped')?.t ?? ops[ops.length - 1].t;
  const c = JSON.parse(readFileSync(counts, 'utf8')) as { epochT0: number; perSecond: Array<Record<string, number>> };
  const s0 = Math.floor((from - c.epochT0) / 1000);
  const s1 = Math.ceil((to - c.epochT0) / 1000);
  const window = c.perSecond.slice(s0, s1);
  const secs = window.length;
  const total: Record<string, number> = {};
  let peakHttp = 0;
  let peakRedis = 0;
  for (const row of window) {
    let h = 0;
    let r = 0;
    for (const [k, n] of Object.entries(row)) {
      total[k] = (total[k] ?? 0) + n;
      if (k.startsWith('http')) h += n;
      else r += n;
    }
    peakHttp = Math.max(peakHttp, h);
    peakRedis = Math.max(peakRedis, r);
  }
  const sum = (p: string) => Object.entries(total).filter(([k]) => k.startsWith(p)).reduce((a, [, n]) => a + n, 0);
  console.log(`killdrill run exit ${code}; observed ${secs} s (fleet-up → observers-stopped) of ${BOTS} bots`);
  console.log(`  HTTP requests: ${(sum('http') / secs).toFixed(1)}/s mean, ${peakHttp}/s peak; Redis commands: ${(sum('redis') / secs).toFixed(1)}/s mean, ${peakRedis}/s peak`);
  for (const [k, n] of Object.entries(total).sort((a, b) => b[1] - a[1])) console.log(`    ${k.padEnd(28)} ${(n / secs).toFixed(1)}/s  (${n})`);
} finally {
  await standIn.stop();
  rmSync(dir, { recursive: true, force: true });
}
