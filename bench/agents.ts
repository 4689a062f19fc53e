// Seed 004's closing figures at scale (issue 14): an agent fleet of --runs concurrent root runs
// (`sim up --preset agents --bots N`), a platform kill after --warmup-s, then
//   - time from the flip to every in-flight call aborted: each LLM or tool call open at the flip
//     (started before it, not ended by then), from the provider's own record (its abortedAt);
//     p50 / p99 / max, and the calls that ran to completion after the flip instead (bled, how long);
//   - the queue at T+0 and T+--after-s (default 60 s): every worker's BullMQ job counts, summed.
//   node bench/agents.ts [--runs 200] [--warmup-s 10] [--after-s 60] [--queue drain|discard]
// The kill is a raw SET of the platform key plus its PUBLISH (what the broker does); the flip is
// when the SET returned. Run it on a quiet machine if you can; it prints the load average.
import { spawn } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { DEFAULT_KEY_PREFIX, eventsChannel, killKey, nowMs } from '../contracts/index.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, 'warmup-s': { type: 'string', default: '10' }, 'after-s': { type: 'string', default: '60' }, queue: { type: 'string', default: 'discard' } } });
const RUNS = Number(values.runs);
const WARMUP_S = Number(values['warmup-s']);
const AFTER_S = Number(values['after-s']);
const QUEUE = values.queue;
if (!Number.isInteger(RUNS) || RUNS < 1 || !(WARMUP_S >= 0) || !(AFTER_S >= 0) || (QUEUE !== 'drain' && QUEUE !== 'discard')) {
  process.stderr.write('killdrill: --runs must be a positive integer, --warmup-s and --after-s non-negative numbers, --queue drain or discard\n');
  process.exit(2);
}
const CLI = join(import.meta.dirname, '..', 'cli', 'main.ts');

interface Call { id: string; run_id: string; kind: string; name: string; startedAt: number; endedAt: number | null; aborted: boolean; abortedAt: number | null }
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url, { signal: AbortSignal.timeout(30_000) })).json()) as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : null);
const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(0)} ms`);

async function allCalls(workers: Record<string, string>): Promise<Call[]> {
  const out: Call[] = [];
  for (const url of Object.values(workers)) {
    const p = await getJson<{ calls: Call[]; open: Call[] }>(`${url}/calls?after=0&limit=1000000`);
    out.push(...p.calls, ...p.open);
  }
  return out;
}

async function queueSum(workers: Record<string, string>): Promise<Record<string, number>> {
  const sum: Record<string, number> = {};
  for (const url of Object.values(workers)) {
    const q = await getJson<{ counts: Record<string, number> }>(`${url}/queue`);
    for (const [k, v] of Object.entries(q.counts ?? {})) sum[k] = (sum[k] ?? 0) + v;
  }
  return sum;
}

const child = spawn(process.execPath, [CLI, 'sim', 'up', '--preset', 'agents', '--bots', String(RUNS), '--json'], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise<void>((r) => child.once('exit', () => r()));
try {
  const line = await new Promise<{ redisUrl: string; agents: Record<string, string> }>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`killdrill: sim up exited ${code} before its JSON line`)));
  });
  const redis = new Redis(line.redisUrl, { maxRetriesPerRequest: 1 });
  await sleep(WARMUP_S * 1000);
  const key = killKey(DEFAULT_KEY_PREFIX, 'platform', 'platform');
  const value = JSON.stringify({ mode: 'freeze', reason: 'bench/agents.ts', queue: QUEUE });
  await redis.set(key, value);
  const flipAt = nowMs();
  await redis.publish(eventsChannel(DEFAULT_KEY_PREFIX), JSON.stringify({ op: 'engage', key, value, at: flipAt }));
  const q0 = await queueSum(line.agents);
  // Every call open at the flip has ended (aborted or not), or 30 s passed.
  let inFlight: Call[] = [];
  for (let i = 0; i < 300; i++) {
    inFlight = (await allCalls(line.agents)).filter((c) => c.startedAt < flipAt && (c.endedAt === null || c.endedAt > flipAt));
    if (inFlight.every((c) => c.endedAt !== null)) break;
    await sleep(100);
  }
  const aborted = inFlight.filter((c) => c.aborted && c.abortedAt !== null).map((c) => c.abortedAt! - flipAt);
  const bled = inFlight.filter((c) => !c.aborted && c.endedAt !== null).map((c) => ({ c, ms: c.endedAt! - flipAt }));
  const open = inFlight.filter((c) => c.endedAt === null);
  const startedAfter = (await allCalls(line.agents)).filter((c) => c.startedAt > flipAt + 1000).length;
  await sleep(Math.max(0, flipAt + AFTER_S * 1000 - nowMs()));
  const q60 = await queueSum(line.agents);
  await redis.del(key);
  await redis.publish(eventsChannel(DEFAULT_KEY_PREFIX), JSON.stringify({ op: 'release', key, at: nowMs() }));
  redis.disconnect();
  const fmtQ = (q: Record<string, number>) => ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].map((k) => `${k} ${q[k] ?? 0}`).join(', ');
  console.log(`agents bench: ${RUNS} root runs on ${Object.keys(line.agents).length} workers, platform kill (queue ${QUEUE}) after ${WARMUP_S} s; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  in flight at the flip: ${inFlight.length} call(s) (${inFlight.filter((c) => c.kind === 'llm').length} LLM, ${inFlight.filter((c) => c.kind === 'tool').length} tool)`);
  console.log(`  flip → aborted: ${aborted.length} call(s), p50 ${ms(pct(aborted, 50))}, p99 ${ms(pct(aborted, 99))}, max ${ms(aborted.length ? Math.max(...aborted) : null)} (every in-flight call aborted: ${bled.length || open.length ? 'no' : 'yes'})`);
  console.log(`  ran to completion after the flip: ${bled.length}${bled.length ? ` (${bled.slice(0, 5).map((b) => `${b.c.kind} ${b.c.name} bled ${b.ms.toFixed(0)} ms`).join(', ')})` : ''}; still open after 30 s: ${open.length}; calls started more than 1 s after the flip: ${startedAfter}`);
  console.log(`  queue T+0:  ${fmtQ(q0)}`);
  console.log(`  queue T+${AFTER_S}: ${fmtQ(q60)}`);
} finally {
  child.stdin.end();
  await exited;
}
