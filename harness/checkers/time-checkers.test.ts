// time-to-draining, time-to-stop, restart-after-release on literal histories.
import { describe, expect, it } from 'vitest';
import { timeToDraining } from './time-to-draining.ts';
import { timeToStop } from './time-to-stop.ts';
import { restartAfterRelease } from './restart-after-release.ts';
import { allPhase, build, kill, observed, phase, release, roster } from './history-fixture.ts';

const healthy = () => [roster(), allPhase('Running', 0), kill(1000, 1100), allPhase('Draining', 1500), allPhase('Stopped', 2000)];

describe('time-to-draining', () => {
  it('passes when every in-scope bot drains within budget, with per-bot times', () => {
    const v = timeToDraining(build(healthy(), observed(5000)), {});
    expect(v.valid).toBe(true);
    expect(v.details.perBot).toEqual({ 'mm-aapl': 500, 'sa-msft': 500, 'agent-aapl': 500 });
  });

  it('fails when a bot never leaves Running and the run watched past the budget', () => {
    const v = timeToDraining(build(roster(), allPhase('Running', 0), kill(), phase('mm-aapl', 'Draining', 1500), phase('sa-msft', 'Stopped', 1600), observed(20_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 never left Running \(agent-aapl\)/);
  });

  it('fails when a bot drains after the budget', () => {
    const v = timeToDraining(build(healthy(), phase('agent-aapl', 'Running', 1400), phase('agent-aapl', 'Draining', 1400), observed(30_000)), { 'time-to-draining': { budgetS: 0.2 } });
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/drained late/);
  });

  it('counts a bot already Draining at issuedAt as 0 ms', () => {
    const v = timeToDraining(build(roster(), allPhase('Stopped', 0), kill(), observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.details.perBot).toEqual({ 'mm-aapl': 0, 'sa-msft': 0, 'agent-aapl': 0 });
  });

  it('is unknown without a kill, without phases, or when the run ended before the budget', () => {
    expect(timeToDraining(build(roster(), allPhase('Running', 0)), {}).valid).toBe('unknown');
    expect(timeToDraining(build(roster(), kill()), {}).valid).toBe('unknown');
    const short = timeToDraining(build(roster(), allPhase('Running', 0), kill(), observed(3000)), {});
    expect(short.valid).toBe('unknown');
    expect(short.summary).toMatch(/stopped watching/);
  });

  it('only judges in-scope bots', () => {
    const v = timeToDraining(build(roster(), allPhase('Running', 0), kill(1000, 1100, { scope: 'fleet', target: 'agents' }), phase('agent-aapl', 'Draining', 1200), observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(Object.keys(v.details.perBot as object)).toEqual(['agent-aapl']);
  });
});

describe('time-to-stop', () => {
  it('passes within class budgets', () => {
    expect(timeToStop(build(healthy(), observed(5000)), {}).valid).toBe(true);
  });

  it('uses per-class budgets: an hft bot over 30 s fails while a standard bot at 40 s passes', () => {
    const h = build(roster(), allPhase('Running', 0), kill(), phase('agent-aapl', 'Stopped', 2000), phase('sa-msft', 'Stopped', 41_000), phase('mm-aapl', 'Stopped', 32_000), observed(50_000));
    const v = timeToStop(h, {});
    expect(v.valid).toBe(false);
    expect(v.details.late).toEqual([{ slug: 'mm-aapl', class: 'hft', ms: 31_000, budgetMs: 30_000 }]);
  });

  it('scenario budgets override the defaults', () => {
    const h = build(roster(), allPhase('Running', 0), kill(), allPhase('Stopped', 9500), observed(50_000));
    expect(timeToStop(h, { 'time-to-stop': { budgetS: { hft: 8 } } }).valid).toBe(false);
    expect(timeToStop(h, {}).valid).toBe(true);
  });

  it('fails when bots never stop (budget passed), unknown while it has not', () => {
    expect(timeToStop(build(roster(), allPhase('Running', 0), kill(), allPhase('Draining', 1500), observed(400_000)), {}).valid).toBe(false);
    expect(timeToStop(build(roster(), allPhase('Running', 0), kill(), allPhase('Draining', 1500), observed(10_000)), {}).valid).toBe('unknown');
  });

  it('a kill that matches no bot is unknown, not a pass', () => {
    const v = timeToStop(build(roster(), allPhase('Running', 0), kill(1000, 1100, { scope: 'bot', target: 'nobody' }), observed(400_000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/matches no bot/);
  });
});

describe('restart-after-release', () => {
  it('passes when every in-scope bot is Running again within budget', () => {
    expect(restartAfterRelease(build(healthy(), release(10_000), allPhase('Running', 12_000), observed(20_000)), {}).valid).toBe(true);
  });

  it('fails when a bot stays Stopped past the budget', () => {
    const v = restartAfterRelease(build(healthy(), release(10_000), phase('mm-aapl', 'Running', 12_000), phase('sa-msft', 'Running', 12_000), observed(60_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/agent-aapl \[last Stopped\]/);
  });

  it('fails when the release is refused', () => {
    const v = restartAfterRelease(build(healthy(), { type: 'lever-issued', lever: 'release', path: 'rest', scope: 'platform', target: 'platform', mode: 'cancel', at: 10_000 }, { type: 'lever-failed', lever: 'release', error: 'killdrill: 403', at: 10_010 }, observed(60_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/403/);
  });

  it('is unknown without a release, or when the run ended before the budget', () => {
    expect(restartAfterRelease(build(healthy(), observed(60_000)), {}).valid).toBe('unknown');
    expect(restartAfterRelease(build(healthy(), release(10_000), observed(11_000)), {}).valid).toBe('unknown');
  });
});
