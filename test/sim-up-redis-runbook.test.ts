// Seed 000's last-resort Redis path, verbatim with the real redis-cli against a real
// `killdrill sim up --json` fleet: the SET halts every bot (Draining, then Stopped) within the
// poll interval (the seed's 5 s; a raw SET publishes nothing, so polling must catch it), the
// `--scan --pattern` view shows the key, and the DEL brings every bot back to Running.
import { afterAll, describe, expect, it } from 'vitest';
import { simUpChild } from './support/sim-up-child.ts';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { nowMs } from '../fleet-sim/clock.ts';

const POLL_INTERVAL_S = 5; // the seed's KillSwitchV2.poll_interval_s default
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Line {
  brokerUrl: string;
  redisUrl: string;
  token: string;
}
interface BotView {
  slug: string;
  phase: string;
}

const { child, line, exited, dir } = simUpChild<Line>({ preset: 'alphaswarm', bots: 12 }, { tmpPrefix: 'killdrill-simredis-' });

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
});

/** The runbook's command, with `kubectl exec -n alphaswarm-bots redis-master-0 --` replaced by the fleet's port. */
function redisCli(l: Line, args: string): string {
  const port = new URL(l.redisUrl).port;
  const r = spawnSync('bash', ['-c', `redis-cli -p ${port} ${args}`], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`redis-cli ${args} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function bots(l: Line): Promise<BotView[]> {
  const res = await fetch(`${l.brokerUrl}/bots`, { headers: { authorization: `Bearer ${l.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as BotView[];
}

async function until(l: Line, phase: string, timeoutMs: number): Promise<BotView[]> {
  const end = Date.now() + timeoutMs;
  let last: BotView[] = [];
  while (Date.now() < end) {
    last = await bots(l);
    if (last.every((b) => b.phase === phase)) return last;
    await sleep(100);
  }
  return last;
}

/** Each bot's first transition to `phase` at or after `sinceMs`, from the fleet's phase stream. */
async function firstTransitions(redisUrl: string, phase: string, sinceMs: number): Promise<Map<string, number>> {
  const r = new Redis(redisUrl);
  try {
    const entries = (await r.xrange('alphaswarm:bots:phases', '-', '+')) as Array<[string, string[]]>;
    const out = new Map<string, number>();
    for (const [, fields] of entries) {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      if (f.phase === phase && Number(f.at) >= sinceMs && !out.has(f.slug)) out.set(f.slug, Number(f.at));
    }
    return out;
  } finally {
    r.disconnect();
  }
}

describe('seed-000 Redis runbook against sim up', () => {
  it('SET halts every bot within the poll interval; the scan shows the key; DEL brings them back', { timeout: 120_000 }, async () => {
    const l = await line;
    expect((await until(l, 'Running', 20_000)).map((b) => b.phase)).toEqual(Array(12).fill('Running'));

    const setAt = nowMs();
    expect(redisCli(l, `SET 'alphaswarm:bots:killswitch:platform:platform' 'manual-emergency'`)).toBe('OK');
    expect(redisCli(l, `--scan --pattern 'alphaswarm:bots:killswitch:*'`)).toBe('alphaswarm:bots:killswitch:platform:platform');
    const stopped = await until(l, 'Stopped', (POLL_INTERVAL_S + 10) * 1000);
    expect(stopped.filter((b) => b.phase !== 'Stopped')).toEqual([]);
    // Every bot went through Draining, each within one poll interval of the SET (the seed's bound;
    // 500 ms for the poll round trip and scheduling on this 2-core machine).
    const draining = await firstTransitions(l.redisUrl, 'Draining', setAt);
    expect([...draining.keys()].sort()).toEqual(stopped.map((b) => b.slug).sort());
    const late = [...draining].filter(([, at]) => at - setAt > POLL_INTERVAL_S * 1000 + 500);
    expect(late, 'bots that took longer than one poll interval to start draining').toEqual([]);

    const delAt = nowMs();
    expect(redisCli(l, `DEL 'alphaswarm:bots:killswitch:platform:platform'`)).toBe('1');
    const running = await until(l, 'Running', (POLL_INTERVAL_S + 10) * 1000);
    expect(running.filter((b) => b.phase !== 'Running')).toEqual([]);
    expect((await firstTransitions(l.redisUrl, 'Running', delAt)).size).toBe(12);
    expect(redisCli(l, `--scan --pattern 'alphaswarm:bots:killswitch:*'`)).toBe('');
  });
});
