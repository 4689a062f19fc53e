// fail-closed-within on literal histories: measured from the fault's injection, bound 2 × pollIntervalS + 1 s (+0.5 s).
import { describe, expect, it } from 'vitest';
import { failClosedWithin } from './fail-closed-within.ts';
import { runCheckers } from './index.ts';
import { allPhase, build, kill, observed, phase, roster } from './history-fixture.ts';

type O = Record<string, unknown> & { type: string };
const start = (pollIntervalS?: number): O => ({ type: 'run-start', runId: 'r', scenario: 's', case: 'default', seed: 1, config: pollIntervalS === undefined ? {} : { pollIntervalS } });
const inject = (at: number, params: Record<string, unknown> = { form: 'freeze' }, id = 'flag-store-silent-1', kind = 'flag-store-silent'): O => ({ type: 'fault-injected', id, kind, params, at });
const heal = (at: number, id = 'flag-store-silent-1'): O => ({ type: 'fault-healed', id, kind: 'flag-store-silent', params: {}, at });
const e = { 'fail-closed-within': {} };

describe('fail-closed-within', () => {
  it('passes when every bot Running at the injection fails closed within 2 × pollIntervalS + 1 s (+0.5 s grace)', () => {
    const v = failClosedWithin(build(start(1), roster(), allPhase('Running', 0), inject(1000), allPhase('Draining', 3800), allPhase('Stopped', 4200), heal(6000), observed(20_000)), e);
    expect(v.valid).toBe(true);
    expect(v.details.budgetMs).toBe(3500);
    expect(v.details.perBot).toEqual({ 'mm-aapl': 2800, 'sa-msft': 2800, 'agent-aapl': 2800 });
  });

  it("fails a fleet that keeps trading on a silent store (e.g. the poller has no command timeout, or fail-open)", () => {
    const v = failClosedWithin(build(start(1), roster(), allPhase('Running', 0), inject(1000), heal(9000), observed(20_000)), e);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/3 kept Running/);
  });

  it('fails a bot that fails closed after the bound; the seed default pollIntervalS is 5 s (bound 11.5 s)', () => {
    const late = failClosedWithin(build(start(1), roster(), allPhase('Running', 0), inject(1000), allPhase('Draining', 4000, ['sa-msft', 'agent-aapl']), phase('mm-aapl', 'Draining', 5000), heal(9000), observed(20_000)), e);
    expect(late.valid).toBe(false);
    expect(late.summary).toMatch(/1 failed closed late \(mm-aapl 4.00 s\)/);
    const seed = failClosedWithin(build(start(), roster(), allPhase('Running', 0), inject(1000), allPhase('Draining', 9000), heal(20_000), observed(30_000)), e);
    expect(seed.valid).toBe(true);
    expect(seed.details.budgetMs).toBe(11_500);
  });

  it('a transition after the heal does not count; a heal before the bound is unknown, not a pass', () => {
    const v = failClosedWithin(build(start(1), roster(), allPhase('Running', 0), inject(1000), heal(2000), allPhase('Draining', 2500), observed(20_000)), e);
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/before the 3.50 s bound ran out/);
  });

  it('is unknown without the fault, a roster, phases, or a bot Running at the injection', () => {
    expect(failClosedWithin(build(start(1), roster(), allPhase('Running', 0), observed(20_000)), e).summary).toMatch(/no flag-store fault/);
    expect(failClosedWithin(build(start(1), roster(), allPhase('Running', 0), inject(1000), observed(20_000)), { 'fail-closed-within': { fault: 'other' } }).summary).toMatch(/no fault 'other'/);
    expect(failClosedWithin(build(start(1), allPhase('Running', 0), inject(1000), observed(20_000)), e).valid).toBe('unknown');
    expect(failClosedWithin(build(start(1), roster(), inject(1000), observed(20_000)), e).valid).toBe('unknown');
    const down = failClosedWithin(build(start(1), roster(), allPhase('Running', 0), allPhase('Stopped', 500), inject(1000), observed(20_000)), e);
    expect(down.valid).toBe('unknown');
    expect(down.summary).toMatch(/no bot in the fault's reach was Running/);
  });

  it("blackhole on one host judges only that host's bots; a fault named by id and a budget override", () => {
    const h = build(start(1), roster(), allPhase('Running', 0), inject(1000, { form: 'blackhole', host: 'node-a' }, 'silent'), phase('mm-aapl', 'Draining', 3000), phase('agent-aapl', 'Draining', 3100), heal(9000, 'silent'), observed(20_000));
    const v = failClosedWithin(h, { 'fail-closed-within': { fault: 'silent' } });
    expect(v.valid).toBe(true);
    expect(Object.keys(v.details.perBot as object)).toEqual(['mm-aapl', 'agent-aapl']);
    expect(failClosedWithin(h, { 'fail-closed-within': { fault: 'silent', budgetS: 1 } }).valid).toBe(false);
  });

  it('is opt-in: runCheckers runs it only when the expect block names it', () => {
    const h = build(start(1), roster(), allPhase('Running', 0), kill(), allPhase('Draining', 1200), observed(20_000));
    expect(runCheckers(h, {}).map((v) => v.checker)).not.toContain('fail-closed-within');
    expect(runCheckers(h, e).find((v) => v.checker === 'fail-closed-within')?.valid).toBe('unknown');
  });
});
