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

  it('a bot already Draining or Stopped at the lever is reported apart, not as a 0 ms stop', () => {
    const h = build(roster(), allPhase('Running', 0), phase('mm-aapl', 'Draining', 500), phase('mm-aapl', 'Stopped', 800), kill(1000, 1100), phase('sa-msft', 'Draining', 1300), phase('agent-aapl', 'Draining', 1400), allPhase('Stopped', 2000), observed(20_000));
    const v = timeToDraining(h, {});
    expect(v.valid).toBe(true);
    expect(v.details.perBot).toEqual({ 'sa-msft': 300, 'agent-aapl': 400 });
    expect(v.details.alreadyOut).toEqual([{ slug: 'mm-aapl', phase: 'Stopped' }]);
    expect(v.summary).toMatch(/all 2 measured .*1 already Stopped at the lever, not measured \(mm-aapl\)/);
    const s = timeToStop(h, {});
    expect(s.valid).toBe(true);
    expect(s.details.alreadyOut).toEqual([{ slug: 'mm-aapl', phase: 'Stopped' }]);
    expect(s.summary).toMatch(/1 already Stopped at the lever/);
  });

  it('is unknown when no in-scope bot was Running at the lever (all already Draining or Stopped)', () => {
    const h = build(roster(), allPhase('Running', 0), allPhase('Draining', 500), kill(1000, 1100), allPhase('Stopped', 1500), observed(20_000));
    const v = timeToDraining(h, {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/no in-scope bot was Running when the lever was pulled.*3 already Draining/);
    expect(timeToStop(h, {}).valid).toBe('unknown');
    expect(timeToStop(build(roster(), allPhase('Stopped', 0), kill(), observed(400_000)), {}).valid).toBe('unknown');
  });

  it('a bot already out at the lever does not hide a failing one', () => {
    const h = build(roster(), allPhase('Running', 0), phase('mm-aapl', 'Draining', 500), kill(1000, 1100), phase('sa-msft', 'Draining', 1300), observed(20_000));
    const v = timeToDraining(h, {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 never left Running \(agent-aapl\).*1 already Draining at the lever/);
  });

  it("defaults to the path's promise: 1 s for the pub/sub paths, the 10 s poll budget for redis", () => {
    const slow = (path: string) => build(roster(), allPhase('Running', 0), kill(1000, 1100, { path, level: 3 }), allPhase('Draining', 2600), observed(20_000));
    for (const path of ['rest', 'crd', 'broker-level']) {
      const v = timeToDraining(slow(path), {});
      expect(v.valid).toBe(false);
      expect(v.details.budgetMs).toBe(1000);
    }
    expect(timeToDraining(slow('redis'), {}).valid).toBe(true);
    expect(timeToDraining(slow('redis'), {}).details.budgetMs).toBe(10_000);
  });

  it('a fleet whose pub/sub stopped working, halted by polling alone (~5 s), fails a rest path case', () => {
    const polled = build(roster(), allPhase('Running', 0), kill(1000, 1100), phase('mm-aapl', 'Draining', 4900), phase('sa-msft', 'Draining', 5600), phase('agent-aapl', 'Draining', 6000), observed(20_000));
    const v = timeToDraining(polled, {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/3 drained late/);
  });

  it('the scenario overrides the budget: budgetS for every path, byPath for one', () => {
    const h = (path: string) => build(roster(), allPhase('Running', 0), kill(1000, 1100, { path }), allPhase('Draining', 4000), observed(20_000));
    expect(timeToDraining(h('rest'), { 'time-to-draining': { budgetS: 10 } }).valid).toBe(true);
    expect(timeToDraining(h('rest'), { 'time-to-draining': { budgetS: 10, byPath: { rest: 1 } } }).valid).toBe(false);
    expect(timeToDraining(h('redis'), { 'time-to-draining': { budgetS: 1, byPath: { redis: 10 } } }).valid).toBe(true);
    expect(timeToDraining(h('crd'), { 'time-to-draining': { byPath: { redis: 10 } } }).details.budgetMs).toBe(1000);
  });

  it('is unknown without a kill, without phases, or when the run ended before the budget', () => {
    expect(timeToDraining(build(roster(), allPhase('Running', 0)), {}).valid).toBe('unknown');
    expect(timeToDraining(build(roster(), kill()), {}).valid).toBe('unknown');
    const short = timeToDraining(build(roster(), allPhase('Running', 0), kill(), observed(1800)), {});
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
