// time-to-draining / time-to-stop against a daemon clock that may run behind the venue (item 8).
import { describe, expect, it } from 'vitest';
import { timeToDraining } from './time-to-draining.ts';
import { timeToStop } from './time-to-stop.ts';
import { allPhase, build, effect, kill, observed, phase, roster } from './history-fixture.ts';

/** Pre-kill load, transit 5 ms; sa-msft's daemon (node-b/stat-arb-b) `behindMs` behind the venue. */
const load = (behindMs: number) => [0, 200, 400].flatMap((t) => [effect('mm-aapl', 'order', t, t + 5), effect('agent-aapl', 'action', t + 1, t + 6), effect('sa-msft', 'order', t + 2 - behindMs, t + 7)]);
/** Kill issued at 1000; sa-msft Draining `drainMs` and Stopped `stopMs` after it by its own clock, the others at once. */
const run = (behindMs: number, drainMs: number, stopMs = drainMs + 100) => build(
  roster(), allPhase('Running', 0), load(behindMs), kill(1000, 1100),
  phase('mm-aapl', 'Draining', 1050), phase('agent-aapl', 'Draining', 1050), phase('mm-aapl', 'Stopped', 1400), phase('agent-aapl', 'Stopped', 1400),
  phase('sa-msft', 'Draining', 1000 + drainMs), phase('sa-msft', 'Stopped', 1000 + stopMs), observed(400_000),
);

/** A 10 s Draining budget (the poll budget), so a bot 9.98 s in is inside it: the rest path's own promise is 1 s (propagation-budgets.ts). */
const e = { 'time-to-draining': { budgetS: 10 } };

describe('time checkers and daemon clocks', () => {
  it('a bot inside its budget by less than its daemon may run behind is unknown, never a pass', () => {
    const v = timeToDraining(run(50, 9_980), e);
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/sa-msft 9\.98 s of 10\.00 s, node-b\/stat-arb-b up to 50(\.0)? ?ms behind/);
  });

  it('the same skew far from the budget changes nothing; a clean history passes', () => {
    expect(timeToDraining(run(50, 2_000), e).valid).toBe(true);
    expect(timeToDraining(run(0, 9_980), e).valid).toBe(true);
  });

  it('time-to-stop the same way, per class budget (sa-msft is standard: 300 s)', () => {
    expect(timeToStop(run(50, 500, 299_980), {}).valid).toBe('unknown');
    expect(timeToStop(run(0, 500, 299_980), {}).valid).toBe(true);
    expect(timeToStop(run(50, 500, 1_000), {}).valid).toBe(true);
  });
});
