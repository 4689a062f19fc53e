// Stop conditions on a real fleet (docs/safety.md): an operator's emergency stop
// (`--guard-redis-key`, the key SET in the fleet's Redis once the kill is engaged) and the
// wall-clock cap (`--max-case-duration`) each end the case interrupted with the reason, exit 130,
// the paused daemon healed and this run's kill released, no kill key left in the fleet's Redis.
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { killdrill, readOps, runDirs, scenarioFile, until, type Op } from './faults-helpers.ts';

const scenario = (name: string) => `name: ${name}
description: A paused daemon and a REST kill whose release is far off, so a stop condition lands while both are active.
seed: 1
fleet:
  preset: alphaswarm
  bots: 6
load: { warmup: 2s, duration: 120s }
faults:
  - { id: pause, at: 1s, kind: process-pause, params: { target: paper-a } }
kill: { at: 2s, path: rest, scope: platform, target: platform, mode: cancel }
release: { after: 90s }
`;

const KEY = 'drill:stop';

function redisUrlOf(ops: Op[]): string | undefined {
  return (ops.find((o) => o.type === 'fleet-up') as { endpoints?: { redisUrl?: string } } | undefined)?.endpoints?.redisUrl;
}

/** The last /status the observers saw before they stopped: what the broker says is engaged. */
function lastStatus(ops: Op[]): Op | undefined {
  return ops.filter((o) => o.type === 'status' && o.ok === true).at(-1);
}

describe('stop conditions end a real case interrupted, healed and released', () => {
  it('--guard-redis-key: the key SET once the kill is engaged → interrupted with the reason, fault healed, kill released, exit 130', { timeout: 240_000 }, async () => {
    const { file, outDir } = scenarioFile('stop-guard', scenario('stop-guard'));
    const run = killdrill(['run', file, '--out', outDir, '--observe-full', '--guard-redis-key', KEY]);
    const runDir = await until('the run directory', () => runDirs(outDir)[0], 60_000);
    await until('the kill engaged', () => readOps(runDir).some((o) => o.type === 'lever-engaged' && o.lever === 'kill'), 120_000);
    const redis = new Redis(redisUrlOf(readOps(runDir))!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.set(KEY, '1');
    redis.disconnect();
    expect(await run.code).toBe(130);
    const ops = readOps(runDir);
    const stop = ops.find((o) => o.type === 'stop-condition');
    expect(String(stop?.reason)).toMatch(/^killdrill: stop condition --guard-redis-key drill:stop turned bad .* into the case: the Redis key 'drill:stop' exists/);
    expect(ops.find((o) => o.type === 'fault-healed' && o.id === 'pause')).not.toHaveProperty('error');
    expect(ops.find((o) => o.type === 'lever-abort-release' && o.phase === 'done')).toMatchObject({ ok: true });
    expect(ops.find((o) => o.type === 'lever-ack' && o.lever === 'release')).toMatchObject({ ok: true });
    expect(lastStatus(ops)).toMatchObject({ engaged: [] });
    expect(ops.find((o) => o.type === 'run-end')).toMatchObject({ outcome: 'interrupted', reason: stop?.reason });
    expect(run.out()).toMatch(/^INTERRUPTED stop-guard /m);
  });

  it('--guard URL: the health endpoint turns 503 once the kill is engaged → interrupted naming it, kill released, exit 130', { timeout: 240_000 }, async () => {
    let healthy = true;
    const health = createServer((_req, res) => void res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'error budget exhausted'));
    await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(health.address() as AddressInfo).port}/health`;
    try {
      const { file, outDir } = scenarioFile('stop-http', scenario('stop-http'));
      const run = killdrill(['run', file, '--out', outDir, '--observe-full', '--guard', url]);
      const runDir = await until('the run directory', () => runDirs(outDir)[0], 60_000);
      await until('the kill engaged', () => readOps(runDir).some((o) => o.type === 'lever-engaged' && o.lever === 'kill'), 120_000);
      healthy = false;
      expect(await run.code).toBe(130);
      const ops = readOps(runDir);
      expect(ops.find((o) => o.type === 'run-end')).toMatchObject({ outcome: 'interrupted', reason: expect.stringMatching(new RegExp(`^killdrill: stop condition --guard ${url} turned bad .* into the case: GET ${url} answered 503: error budget exhausted$`)) });
      expect(ops.find((o) => o.type === 'lever-abort-release' && o.phase === 'done')).toMatchObject({ ok: true });
      expect(lastStatus(ops)).toMatchObject({ engaged: [] });
    } finally {
      await new Promise<void>((r) => health.close(() => r()));
    }
  });

  it('--max-case-duration 15s: interrupted with the cap as reason, nothing left engaged, exit 130', { timeout: 240_000 }, async () => {
    const { file, outDir } = scenarioFile('stop-cap', scenario('stop-cap'));
    const run = killdrill(['run', file, '--out', outDir, '--observe-full', '--max-case-duration', '15s']);
    expect(await run.code).toBe(130);
    const ops = readOps(runDirs(outDir)[0]);
    expect(ops.find((o) => o.type === 'run-end')).toMatchObject({ outcome: 'interrupted' });
    expect(String(ops.find((o) => o.type === 'stop-condition')?.reason)).toMatch(/^killdrill: stop condition --max-case-duration 15s: the case ran \d+\.\d\d s, longer than its cap/);
    // Whether the cap came before or after the lever (the fleet's start counts), no kill stays pulled.
    if (ops.some((o) => o.type === 'lever-engaged' && o.lever === 'kill')) {
      expect(ops.find((o) => o.type === 'lever-abort-release' && o.phase === 'done')).toMatchObject({ ok: true });
      expect(lastStatus(ops)).toMatchObject({ engaged: [] });
    }
  });
});
