// post-flip-effects: the bot's own Draining (item 3) and the daemons' clocks (item 8), on literal histories.
import { describe, expect, it } from 'vitest';
import { postFlipEffects } from './post-flip-effects.ts';
import { allPhase, build, effect, kill, observed, phase, release, roster } from './history-fixture.ts';

/** Pre-flip load from every daemon: transit 5 ms, plus `behindMs` for sa-msft's daemon (node-b/stat-arb-b). */
const load = (behindMs = 0) => [0, 200, 400, 600, 800].flatMap((t) => [
  effect('mm-aapl', 'order', t, t + 5),
  effect('agent-aapl', 'action', t + 1, t + 6),
  effect('sa-msft', 'order', t + 2 - behindMs, t + 7),
]);

describe('post-flip-effects: the bot\'s own Draining', () => {
  it('an order its bot dispatched after its own Draining is a violation even before engagedAt (the bots heard the kill first)', () => {
    // REST: the bots drain at 1020, the lever's reply reaches the harness at 1100.
    const h = build(roster(), allPhase('Running', 0), load(), kill(1000, 1100), allPhase('Draining', 1020), effect('sa-msft', 'order', 1040, 1045), allPhase('Stopped', 1500), observed(9000));
    const v = postFlipEffects(h, {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ violations: 1, afterOwnDraining: 1, propagationTail: 0 });
    expect(v.summary).toMatch(/after their bot's own Draining/);
  });

  it('an order dispatched before its bot\'s own Draining stays in the propagation tail', () => {
    const h = build(roster(), allPhase('Running', 0), load(), kill(1000, 1100), effect('sa-msft', 'order', 1010, 1015), allPhase('Draining', 1020), allPhase('Stopped', 1500), observed(9000));
    const v = postFlipEffects(h, {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ violations: 0, afterOwnDraining: 0, propagationTail: 1 });
  });

  it('the window closes at the bot\'s own return to Running after the release', () => {
    const h = build(
      roster(), allPhase('Running', 0), load(), kill(1000, 1100), allPhase('Draining', 1020), allPhase('Stopped', 1500),
      release(5000), allPhase('Running', 5010), effect('sa-msft', 'order', 5020, 5025), observed(9000),
    );
    expect(postFlipEffects(h, {}).valid).toBe(true);
  });

  it('a bot that resumed Running while the kill held (resume-ignores-halt) is still inside its window', () => {
    const h = build(
      roster(), allPhase('Running', 0), load(), kill(1000, 1100), allPhase('Draining', 1020), allPhase('Stopped', 1500),
      phase('sa-msft', 'Running', 3000), effect('sa-msft', 'order', 3010, 3015), release(5000), observed(9000),
    );
    expect(postFlipEffects(h, {}).details).toMatchObject({ violations: 1, afterOwnDraining: 1 });
  });

  it('a bot that failed closed before the kill and reopened before the lever confirmed it is judged from its Draining for the kill; reopened after engagedAt, it is inside its window', () => {
    // flag-store-silent healed at 900: every bot failed closed at 850, two reopened at 950; sa-msft reopens at 1050 (its poll read no kill yet:
    // the REST fan-out confirmed at 1100), dispatches at 1060, hears the kill at 1080. Seen in a real run under load.
    const dip = (reopenAt: number, sentAt: number, drainAt: number) => build(
      roster(), allPhase('Running', 0), load(), allPhase('Draining', 850), allPhase('Stopped', 870),
      phase('mm-aapl', 'Running', 950), phase('agent-aapl', 'Running', 950), kill(1000, 1100), phase('sa-msft', 'Running', reopenAt), effect('sa-msft', 'order', sentAt, sentAt + 5),
      phase('mm-aapl', 'Draining', 1020), phase('agent-aapl', 'Draining', 1020), phase('sa-msft', 'Draining', drainAt), allPhase('Stopped', 1500), observed(9000),
    );
    const tail = postFlipEffects(dip(1050, 1060, 1080), {});
    expect(tail.valid).toBe(true);
    expect(tail.details).toMatchObject({ violations: 0, afterOwnDraining: 0, propagationTail: 1 });
    const held = postFlipEffects(dip(1150, 1160, 1180), {});
    expect(held.valid).toBe(false);
    expect(held.details).toMatchObject({ violations: 1, afterOwnDraining: 1 });
  });
});

describe('post-flip-effects: a daemon clock running behind', () => {
  it('a clean history passes, with every daemon clock in agreement', () => {
    const h = build(roster(), allPhase('Running', 0), load(), kill(1000, 1100), allPhase('Draining', 1120), allPhase('Stopped', 1500), observed(9000));
    const v = postFlipEffects(h, {});
    expect(v.valid).toBe(true);
    expect((v.details.daemonClocks as Array<{ excessMs: number }>).every((c) => c.excessMs === 0)).toBe(true);
  });

  it('a daemon 50 ms behind with real post-flip effects is never a pass: unknown, naming the daemon and the offset', () => {
    // sa-msft never hears the kill; its orders truly leave 20 and 40 ms after engagedAt, stamped 50 ms early.
    const h = build(
      roster(), allPhase('Running', 0), load(50), kill(1000, 1100), allPhase('Draining', 1120, ['mm-aapl', 'agent-aapl']),
      effect('sa-msft', 'order', 1120 - 50, 1125), effect('sa-msft', 'order', 1140 - 50, 1145), observed(9000),
    );
    const v = postFlipEffects(h, {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/node-b\/stat-arb-b \(may run up to 50(\.0)? ?ms behind the venue, 2 effect\(s\)\)/);
  });

  it('the same daemon, its post-flip effects late enough to show after engagedAt anyway: fails', () => {
    const h = build(roster(), allPhase('Running', 0), load(50), kill(1000, 1100), effect('sa-msft', 'order', 1300 - 50, 1305), observed(9000));
    expect(postFlipEffects(h, {}).valid).toBe(false);
  });

  it('a skewed daemon whose effects are nowhere near engagedAt does not change the verdict', () => {
    const h = build(roster(), allPhase('Running', 0), load(50), kill(1000, 1100), allPhase('Draining', 1120), allPhase('Stopped', 1500), observed(9000));
    const v = postFlipEffects(h, {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/daemon clocks up to 50(\.0)? ?ms behind \(node-b\/stat-arb-b\)/);
  });
});
