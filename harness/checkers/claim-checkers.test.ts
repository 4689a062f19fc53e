// stop-claims-verified and halt-state-durable on literal histories.
import { describe, expect, it } from 'vitest';
import { stopClaimsVerified } from './stop-claims-verified.ts';
import { haltStateDurable } from './halt-state-durable.ts';
import { build, effect, kill, observed, release, roster } from './history-fixture.ts';

const PRINCIPAL = [
  { slug: 'foresight-doge-usd', host: 'tesseract', daemon: 'foresight', fleet: 'trading', tenant: 'principal', group: 'bots', class: 'hft', asset: 'DOGE-USD', tags: ['trading'] },
  { slug: 'oracle-btc-usd', host: 'knox', daemon: 'oracle', fleet: 'agents', tenant: 'principal', group: 'agents', class: 'agent', asset: 'BTC-USD', tags: ['agents'] },
];
const level = (n: number) => kill(1000, 3000, { path: 'broker-level', level: n });
const claim = (host: string, daemon: string, at: number, ok = true) => ({ type: 'claim', source: 'broker', action: 'daemon-stopped', host, daemon, ok, at });
const daemon = (host: string, d: string, event: string, at: number, pid = 42) => ({ type: 'daemon', host, daemon: d, event, pid, at });

describe('stop-claims-verified', () => {
  it('passes when the claimed daemon exited on that host and stayed down', () => {
    const v = stopClaimsVerified(build(roster(PRINCIPAL), level(2), daemon('tesseract', 'foresight', 'exit', 2500), claim('tesseract', 'foresight', 2600), observed(20_000)), {});
    expect(v.valid).toBe(true);
  });

  it('is unknown, never failed, when the target has no hosts to show a daemon exit (an external target)', () => {
    const external = { type: 'fleet-up', endpoints: { hosts: {} }, at: 0 };
    const v = stopClaimsVerified(build(external, roster(PRINCIPAL), level(2), claim('tesseract', 'foresight', 2600), observed(20_000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/no hosts whose daemon events could back or contradict them/);
    // The same claim with the hosts known and no exit seen is a failure (the guard above is what makes it unknown).
    const simulated = { type: 'fleet-up', endpoints: { hosts: { tesseract: 'http://127.0.0.1:1' } }, at: 0 };
    expect(stopClaimsVerified(build(simulated, roster(PRINCIPAL), level(2), claim('tesseract', 'foresight', 2600), observed(20_000)), {}).valid).toBe(false);
    // No claim at all: nothing to contradict, true on either target.
    expect(stopClaimsVerified(build(external, roster(PRINCIPAL), kill(1000, 3000), observed(20_000)), {}).valid).toBe(true);
  });

  it("judges only this kill's claims: one made before the lever (an earlier drill's, a dead run's) is not contradicted by its daemon's restart since", () => {
    // knox/broker claimed stopped at 200 (before the kill at 1000), restarted at 500 by that earlier release.
    const earlier = [claim('knox', 'broker', 200), daemon('knox', 'broker', 'start', 500, 77)];
    const v = stopClaimsVerified(build(roster(PRINCIPAL), kill(1000, 3000), ...earlier, observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ claims: 0, beforeKill: 1 });
    // On an external target it is not this kill's either: not a claim that makes the verdict unknown.
    const external = { type: 'fleet-up', endpoints: { hosts: {} }, at: 0 };
    expect(stopClaimsVerified(build(external, roster(PRINCIPAL), kill(1000, 3000), claim('tesseract', 'foresight', 200), observed(20_000)), {}).valid).toBe(true);
    // The same claim made after the lever is judged, and fails (the daemon is running again, no release).
    expect(stopClaimsVerified(build(roster(PRINCIPAL), kill(1000, 3000), claim('knox', 'broker', 1200), daemon('knox', 'broker', 'start', 1500, 77), observed(20_000)), {}).valid).toBe(false);
  });

  it('fails on a successful no-op: the claim names the wrong host, no exit, bots keep trading', () => {
    const v = stopClaimsVerified(build(roster(PRINCIPAL), level(2), claim('knox', 'foresight', 2600), effect('foresight-doge-usd', 'order', 4000), observed(20_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/claimed knox\/foresight stopped, but knox reported no exit of foresight; foresight runs on tesseract/);
    expect(v.summary).toMatch(/foresight-doge-usd@tesseract/);
  });

  it('fails when a claimed-stopped daemon is running again during the halt (KeepAlive restart)', () => {
    const v = stopClaimsVerified(build(roster(PRINCIPAL), level(3), daemon('knox', 'broker', 'exit', 2500), claim('knox', 'broker', 2600), daemon('knox', 'broker', 'start', 3500, 77), release(15_000), observed(20_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/knox\/broker was claimed stopped .* running again .*\(pid 77\)/);
  });

  it('fails when the claimed daemon\'s bots dispatch after the claim; a start after the release is fine', () => {
    const h = build(roster(PRINCIPAL), level(2), daemon('tesseract', 'foresight', 'exit', 2500), claim('tesseract', 'foresight', 2600), effect('foresight-doge-usd', 'order', 2700), release(15_000), daemon('tesseract', 'foresight', 'start', 15_500), observed(20_000));
    const v = stopClaimsVerified(h, {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 effect\(s\) from tesseract\/foresight's bots after it was claimed stopped \(foresight-doge-usd@tesseract\)/);
  });

  it('ignores claims the broker itself marked failed; no claims on a non-level path is a (vacuous) pass', () => {
    expect(stopClaimsVerified(build(roster(PRINCIPAL), kill(), claim('knox', 'oracle', 2000, false), observed(20_000)), {}).valid).toBe(true);
  });

  it('is unknown without a kill, when a level ≥ 2 made no claim, or when the exit could not be seen yet', () => {
    expect(stopClaimsVerified(build(roster(PRINCIPAL)), {}).valid).toBe('unknown');
    expect(stopClaimsVerified(build(roster(PRINCIPAL), level(2), observed(20_000)), {}).valid).toBe('unknown');
    expect(stopClaimsVerified(build(roster(PRINCIPAL), level(2), claim('tesseract', 'foresight', 2600), observed(3000)), {}).valid).toBe('unknown');
  });
});

const status = (at: number, haltLevel: number, incident: boolean, engaged: string[] = [], bootId = 'boot-1') => ({ type: 'status', ok: true, haltLevel, incident: incident ? { id: 'inc-1' } : null, engaged, bootId, at });
const P = 'alphaswarm:bots:killswitch';

describe('halt-state-durable', () => {
  it('passes when every status during the halt shows the level and the incident', () => {
    const v = haltStateDurable(build(roster(PRINCIPAL), status(500, 0, false), level(3), status(3200, 3, true), status(9000, 3, true, [], 'boot-1'), release(15_000), status(15_200, 0, false), observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.details.judged).toBe(2);
  });

  it('fails on amnesia: a new bootId at level 0 mid-halt', () => {
    const v = haltStateDurable(build(roster(PRINCIPAL), status(500, 0, false), level(3), status(3200, 3, true), status(8000, 0, false, [], 'boot-2'), release(15_000), observed(20_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/restarted \(new bootId boot-2\).*forgot the halt: halt level 0 \(expected 3\), no open incident/);
  });

  it('checks the engaged keys for the other paths (REST platform = the six group keys)', () => {
    const groups = ['agents', 'quant-agents', 'paper', 'bots', 'rl', 'workflows'].map((g) => `${P}:group:${g}`);
    expect(haltStateDurable(build(roster(), kill(), status(4000, 0, false, groups), release(15_000), observed(20_000)), {}).valid).toBe(true);
    const v = haltStateDurable(build(roster(), kill(), status(4000, 0, false, groups.slice(1)), release(15_000), observed(20_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/not engaged: alphaswarm:bots:killswitch:group:agents/);
    expect(haltStateDurable(build(roster(), kill(1000, 1100, { path: 'redis', scope: 'bot', target: 'mm-aapl' }), status(4000, 0, false, [`${P}:bot:mm-aapl`]), observed(20_000)), {}).valid).toBe(true);
  });

  it('carries the last view into the window, and does not judge unreachable views', () => {
    const v = haltStateDurable(build(roster(PRINCIPAL), level(2), status(3100, 2, true), { type: 'status', ok: false, error: 'ECONNREFUSED', at: 7000 }, observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ judged: 1, unreachable: 1 });
  });

  it('never carries a view taken before engagedAt into the window (it cannot show the halt); one after engagedAt is judged', () => {
    const groups = ['agents', 'quant-agents', 'paper', 'bots', 'rl', 'workflows'].map((g) => `${P}:group:${g}`);
    // kill() engages at 1100: the only view before the window (1100 + grace) was taken at -400 ms, with no key.
    const before = haltStateDurable(build(roster(), status(700, 0, false, []), kill(), status(9000, 0, false, groups), release(15_000), observed(20_000)), {});
    expect(before.valid).toBe(true);
    expect(before.details).toMatchObject({ judged: 1 });
    // Without a view inside the window either: nothing to judge, unknown (never a pass).
    expect(haltStateDurable(build(roster(), status(700, 0, false, []), kill(), release(15_000), observed(20_000)), {}).valid).toBe('unknown');
    // The same view lacking the keys, taken after engagedAt: it is carried and fails.
    expect(haltStateDurable(build(roster(), kill(), status(1500, 0, false, []), release(15_000), observed(20_000)), {}).valid).toBe(false);
  });

  it('places a view at the time its GET was sent: an answer that left before engagedAt and came after it is not judged', () => {
    const key = `${P}:platform:platform`;
    const redisKill = kill(1000, 1100, { path: 'redis', scope: 'platform', target: 'platform' });
    // Sent at 800 (before engagedAt 1100), answered at 1500 without the key: it shows the state before the flip.
    const late = { ...status(1500, 0, false, []), requestedAt: 800 };
    const v = haltStateDurable(build(roster(), redisKill, late, { ...status(4000, 0, false, [key]), requestedAt: 3990 }, release(15_000), observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ judged: 1 });
    // The same answer sent after engagedAt lost the halt: it fails.
    const lost = haltStateDurable(build(roster(), redisKill, { ...late, requestedAt: 1200 }, { ...status(4000, 0, false, [key]), requestedAt: 3990 }, release(15_000), observed(20_000)), {});
    expect(lost.valid).toBe(false);
    expect(lost.summary).toMatch(/1 of 2 status view\(s\) during the halt lost it/);
    // A GET sent before the release and answered after it shows the released state: not judged.
    const straddles = { ...status(15_100, 0, false, []), requestedAt: 14_990 };
    const ok = haltStateDurable(build(roster(), redisKill, { ...status(4000, 0, false, [key]), requestedAt: 3990 }, straddles, release(15_000), observed(20_000)), {});
    expect(ok.valid).toBe(true);
    expect(ok.details).toMatchObject({ judged: 1 });
  });

  it('never judges a view taken after the release, even when the halt was shorter than the grace', () => {
    // engagedAt 3000, grace 2 s: the window would open at 5000, but the release came at 4000.
    const redisKill = kill(1000, 3000, { path: 'redis', scope: 'platform', target: 'platform' });
    const v = haltStateDurable(build(roster(), redisKill, status(3200, 0, false, [`${P}:platform:platform`]), release(4000), status(4100, 0, false, []), observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ judged: 1 });
    // …and the view before the release still counts: had it lost the key, the checker fails.
    const lost = haltStateDurable(build(roster(), redisKill, status(3200, 0, false, []), release(4000), observed(20_000)), {});
    expect(lost.valid).toBe(false);
  });

  it('a Redis failover that came back without the kill keys fails it, and says so; one that kept them passes', () => {
    const redisKill = kill(1000, 1100, { path: 'redis', scope: 'platform', target: 'platform' });
    const failover = (detail: Record<string, unknown>) => ({ type: 'fault-injected', id: 'redis-failover-1', kind: 'redis-failover', params: {}, at: 6000, ok: true, detail });
    const key = `${P}:platform:platform`;
    const lost = haltStateDurable(build(roster(), redisKill, status(4000, 0, false, [key]), failover({ cameBack: 'empty' }), { type: 'status', ok: false, error: 'ECONNREFUSED', at: 6100 }, status(7000, 0, false, []), release(15_000), observed(20_000)), {});
    expect(lost.valid).toBe(false);
    expect(lost.summary).toMatch(/did not survive the Redis failover \(redis-failover-1, 4\.90 s after engagedAt; Redis came back empty\): 1 of 2 status view\(s\) lost the halt.*not engaged: alphaswarm:bots:killswitch:platform:platform/);
    expect(lost.details).toMatchObject({ failover: 'redis-failover-1', unreachable: 1 });
    const kept = haltStateDurable(build(roster(), redisKill, status(4000, 0, false, [key]), failover({ cameBack: 'aof' }), { type: 'status', ok: false, error: 'ECONNREFUSED', at: 6100 }, status(7000, 0, false, [key]), release(15_000), observed(20_000)), {});
    expect(kept.valid).toBe(true);
    expect(kept.details).toMatchObject({ judged: 2, unreachable: 1 });
  });

  it('is unknown without an engaged kill or without any status view during the halt', () => {
    expect(haltStateDurable(build(roster(), kill(1000, null), status(4000, 0, false)), {}).valid).toBe('unknown');
    expect(haltStateDurable(build(roster(PRINCIPAL), level(2), { type: 'status', ok: false, error: 'down', at: 6000 }, observed(20_000)), {}).valid).toBe('unknown');
  });
});
