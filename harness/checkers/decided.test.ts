// decide(): the runner may stop watching only on verdicts that cannot flip. Literal mid-run
// histories (no observers-stopped yet: the history reaches as far as its last op).
import { describe, expect, it } from 'vitest';
import { History, type Op } from '../history/index.ts';
import { runCheckers, type CheckerName } from './index.ts';
import { decideSoFar } from './decided.ts';
import { allPhase, effect, kill, phase, roster, SLUGS } from './history-fixture.ts';

type O = Record<string, unknown> & { type: string };
/** Ops stamped t = their own `at` (the harness saw them as they happened); the run has reached `now`. */
function soFar(now: number, ...groups: Array<O | O[]>): History {
  const ops = (groups.flat() as O[]).map((o, i) => ({ t: typeof o.at === 'number' ? o.at : i, ...o }));
  return new History([...ops, { t: now, type: 'tick', at: now }] as unknown as Op[]);
}
/** The redis path: its promise is the 10 s poll budget (propagation-budgets.ts; a pub/sub path promises 1 s). */
const redisKill = () => kill(1000, 1100, { path: 'redis' });
const decideAt = (h: History, now: number, opts: { detects?: CheckerName[]; skip?: CheckerName[] } = {}) =>
  decideSoFar(h, (x) => runCheckers(x, {}, opts.skip ?? []), opts.detects, now);

const stuck = (now: number, ...extra: O[]) =>
  soFar(now, roster(), allPhase('Running', 0), effect('mm-aapl', 'order', 500), redisKill(), phase('mm-aapl', 'Draining', 1500), phase('sa-msft', 'Draining', 1600), ...extra);

describe('decide: a case that must pass', () => {
  it('is decided failed once a bot has not left Running by the draining budget (10 s)', () => {
    const d = decideAt(stuck(11_500), 11_500);
    expect(d).toMatchObject({ outcome: 'failed' });
    expect(d!.reason).toMatch(/^time-to-draining failed for good: of 3 in-scope bots, 1 never left Running \(agent-aapl\)/);
    expect(d!.by.map((b) => b.checker)).toEqual(['time-to-draining']);
  });

  it('is not decided before the budget ran out, nor on unknown verdicts', () => {
    expect(decideAt(stuck(9000), 9000)).toBeNull();
  });

  it('is not decided while a fault is active or healed less than 2 s ago (a bot may still flush its phases)', () => {
    const injected = { type: 'fault-injected', id: 'r', kind: 'redis-down', params: {}, at: 2000 };
    expect(decideAt(stuck(11_500, injected), 11_500)).toBeNull();
    const healedLately = { type: 'fault-healed', id: 'r', kind: 'redis-down', params: {}, at: 10_000 };
    expect(decideAt(stuck(11_500, injected, healedLately), 11_500)).toBeNull();
    const healedLongAgo = { type: 'fault-healed', id: 'r', kind: 'redis-down', params: {}, at: 5000 };
    expect(decideAt(stuck(11_500, injected, healedLongAgo), 11_500)).toMatchObject({ outcome: 'failed' });
  });

  it('faults that cannot hold back phase reports (broker, operator, pub/sub, other links) do not delay a decision', () => {
    const f = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ type: 'fault-injected', id, kind, params, at: 2000 });
    for (const x of [f('a', 'broker-restart'), f('b', 'operator-down'), f('c', 'pubsub-drop', { form: 'silent' }), f('d', 'link-down', { link: 'bots-redis-sub.node-a' }), f('e', 'link-latency', { link: 'gateway-venue', latencyMs: 50 })]) {
      expect(decideAt(stuck(11_500, x), 11_500), x.kind).toMatchObject({ outcome: 'failed' });
    }
    for (const x of [f('p', 'link-down', { link: 'bots-redis-poll.node-a' }), f('q', 'partition', { host: 'node-a' }), f('r', 'process-pause', { target: 'agents-a' }), f('s', 'redis-down')]) {
      expect(decideAt(stuck(11_500, x), 11_500), x.kind).toBeNull();
    }
  });

  it('is decided failed on a post-flip effect (more history never makes it true)', () => {
    const h = soFar(3000, roster(), allPhase('Running', 0), redisKill(), effect('mm-aapl', 'order', 2000));
    expect(decideAt(h, 3000)).toMatchObject({ outcome: 'failed', by: [{ checker: 'post-flip-effects', valid: false }] });
  });

  it('a status view from before the halt window opened decides nothing (fail-open, seed 1: a view 815 ms before engagedAt)', () => {
    const view = (at: number, engaged: string[]) => ({ type: 'status', ok: true, haltLevel: 0, incident: null, engaged, bootId: 'b1', at });
    const key = 'alphaswarm:bots:killswitch:fleet:agents';
    const base = [roster(), allPhase('Running', 0), effect('agent-aapl', 'order', 500), view(300, []), kill(1000, 1800, { path: 'redis', scope: 'fleet', target: 'agents' }), phase('agent-aapl', 'Draining', 1500)];
    // the window opens at engagedAt + 2 s = 3800; the view from 300 predates engagedAt, so it is never
    // judged (halt-state-durable carries only views taken from engagedAt on): nothing judged yet, unknown
    const early = soFar(3000, ...base);
    expect(runCheckers(early, {}).find((v) => v.checker === 'halt-state-durable')!.valid).toBe('unknown');
    expect(decideAt(early, 3000)).toBeNull();
    // once the history reaches the window, its views are final facts: a lost halt decides the case
    expect(decideAt(soFar(5000, ...base, view(4500, [])), 5000)).toMatchObject({ outcome: 'failed', by: [{ checker: 'halt-state-durable' }] });
    expect(decideAt(soFar(5000, ...base, view(3500, [key]), view(4500, [key])), 5000)).toBeNull();
  });

  it('without a kill nothing is decided', () => {
    expect(decideAt(soFar(50_000, roster(), allPhase('Running', 0)), 50_000)).toBeNull();
  });

  it('a healthy run is never decided before its end (post-flip, claims, halt, journal may still change)', () => {
    const h = soFar(5000, roster(), allPhase('Running', 0), effect('mm-aapl', 'order', 500), redisKill(), allPhase('Draining', 1500), allPhase('Stopped', 2000));
    expect(decideAt(h, 5000)).toBeNull();
  });
});

describe('decide: an incident reproduction', () => {
  it('the named checker failing is not enough while the others can still change', () => {
    expect(decideAt(stuck(11_500), 11_500, { detects: ['time-to-draining'] })).toBeNull();
  });

  it('is decided failed when the named checker passed for good (the incident is not reproduced)', () => {
    const h = soFar(3000, roster(), allPhase('Running', 0), effect('mm-aapl', 'order', 500), redisKill(), allPhase('Draining', 1500));
    const d = decideAt(h, 3000, { detects: ['time-to-draining'] });
    expect(d).toMatchObject({ outcome: 'failed' });
    expect(d!.reason).toMatch(/time-to-draining passed for good, so the incident is not reproduced/);
  });

  it('is decided passed only when the named ones failed for good and every other passed for good', () => {
    const skip: CheckerName[] = ['post-flip-effects', 'stop-claims-verified', 'halt-state-durable', 'journal-consistent', 'restart-after-release', 'bot-gate-held', 'mode-work-done', 'out-of-scope-unaffected'];
    // every bot Stopped at 12 s: past the 10 s draining budget (final), inside the 30 s / 300 s stop budgets (final)
    const h = soFar(13_000, roster(), allPhase('Running', 0), effect('mm-aapl', 'order', 500), redisKill(), SLUGS.map((s) => phase(s, 'Stopped', 12_000)));
    expect(decideAt(h, 13_000, { detects: ['time-to-draining'], skip })).toMatchObject({ outcome: 'passed' });
    // post-flip-effects run as well: its true is never final mid-run
    expect(runCheckers(h, {}, skip.filter((s) => s !== 'post-flip-effects')).find((v) => v.checker === 'post-flip-effects')!.valid).toBe(true);
    expect(decideAt(h, 13_000, { detects: ['time-to-draining'], skip: skip.filter((s) => s !== 'post-flip-effects') })).toBeNull();
  });
});
