// Seed 001's operations failures during a halt, run with `killdrill run`, and what their histories
// show beyond the verdicts: the auth outage refuses every halt endpoint with jwks_unreachable and the
// Redis fallback halts every bot; a Redis failover comes back empty without persistence and the halt
// is lost (halt-state-durable fails naming the failover).
import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { killdrill, readOps, runDirs, ROOT } from './faults-helpers.ts';
import { HALT_ENDPOINTS } from '../contracts/index.ts';

const num = (v: unknown) => v as number;

async function run(name: string) {
  const outDir = mkdtempSync(join(tmpdir(), 'killdrill-ops-'));
  const r = killdrill(['run', join(ROOT, 'scenarios', 'incidents', `${name}.yaml`), '--out', outDir]);
  const code = await r.code;
  const [dir] = runDirs(outDir);
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Record<string, unknown> & { verdicts: Array<{ checker: string; valid: unknown; summary: string }> };
  return { code, out: r.out(), err: r.err(), ops: readOps(dir), result };
}

describe('seed 001 operations failures during a halt', () => {
  it('auth-outage: the REST fan-out fails closed with jwks_unreachable on every endpoint, the Redis fallback halts every bot, the drill says which path worked', { timeout: 200_000 }, async () => {
    const r = await run('auth-outage');
    expect(r.out, r.err).toMatch(/^PASS auth-outage /m);
    expect(r.code).toBe(0);
    const failed = r.ops.find((o) => o.type === 'lever-failed' && o.lever === 'kill');
    for (const ep of Object.keys(HALT_ENDPOINTS)) expect(String(failed?.error)).toContain(`${ep}: 503 {"error":"killdrill: jwks_unreachable`);
    const fb = r.ops.find((o) => o.type === 'lever-fallback');
    expect(fb).toMatchObject({ from: 'rest', to: 'redis' });
    // Nothing engaged or claimed through the broker; the fallback's SET engaged the halt.
    expect(r.ops.filter((o) => o.type === 'claim')).toEqual([]);
    const attempts = r.result.killAttempts as Array<{ path: string; engagedAt: number | null; failed: string | null }>;
    expect(attempts.map((a) => [a.path, a.engagedAt !== null])).toEqual([['rest', false], ['redis', true]]);
    expect(r.result.lever).toMatchObject({ path: 'redis' });
    // Every in-scope bot stopped, measured from the fallback.
    const perBot = r.result.perBot as Array<{ inScope: boolean; timeToStopMs: number | null }>;
    expect(perBot.filter((b) => b.inScope).every((b) => b.timeToStopMs !== null)).toBe(true);
    // The broker's status was unreachable during the outage and judged again after the heal.
    const inj = r.ops.find((o) => o.type === 'fault-injected' && o.kind === 'auth-outage')!;
    const heal = r.ops.find((o) => o.type === 'fault-healed' && o.kind === 'auth-outage')!;
    expect(r.ops.some((o) => o.type === 'status' && o.ok === false && num(o.at) > num(inj.at) && num(o.at) < num(heal.at))).toBe(true);
    expect(r.result.verdicts.find((v) => v.checker === 'halt-state-durable')?.valid).toBe(true);
  });

  it('kill-keys-not-persisted: Redis comes back empty from the failover, the bots trade again, halt-state-durable names the failover', { timeout: 200_000 }, async () => {
    const r = await run('kill-keys-not-persisted');
    expect(r.out, r.err).toMatch(/^PASS kill-keys-not-persisted /m);
    const inj = r.ops.find((o) => o.type === 'fault-injected' && o.kind === 'redis-failover')!;
    expect(inj.detail).toMatchObject({ cameBack: 'empty', killKeysAfter: [] });
    expect((inj.detail as { killKeysBefore: string[] }).killKeysBefore).toContain('alphaswarm:bots:killswitch:platform:platform');
    const hsd = r.result.verdicts.find((v) => v.checker === 'halt-state-durable')!;
    expect(hsd.valid).toBe(false);
    expect(hsd.summary).toMatch(/did not survive the Redis failover \(redis-failover-1, .*Redis came back empty\)/);
    // Effects landed after the failover, before any release.
    const release = r.ops.find((o) => o.type === 'lever-issued' && o.lever === 'release')!;
    expect(r.ops.filter((o) => o.type === 'effect' && num(o.receivedAt) > num(inj.at) + 2000 && num(o.receivedAt) < num(release.at)).length).toBeGreaterThan(0);
  });
});
