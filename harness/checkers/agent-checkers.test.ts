// The agent-fleet checkers on literal histories: inflight-cancelled, capability-scope,
// timers-cancelled, children-stopped and queue-policy each pass, fail and are unknown.
// Flip: engagedAt 1100 (kill issued 1000); run-a is in scope (kill run:run-a), run-b is not.
import { describe, expect, it } from 'vitest';
import { build, kill, observed, roster } from './history-fixture.ts';
import { inflightCancelled } from './inflight-cancelled.ts';
import { capabilityScope } from './capability-scope.ts';
import { timersCancelled } from './timers-cancelled.ts';
import { childrenStopped } from './children-stopped.ts';
import { queuePolicy } from './queue-policy.ts';
import { CHECKERS, runCheckers } from './index.ts';

const AGENTS = [
  { slug: 'ag-acme-support-1', host: 'agent-a', daemon: 'agent-a-w1', fleet: 'support', tenant: 'acme', group: 'agents', class: 'agent', asset: 'run', capability: 'support-agent', run: 'run-a', tags: ['agents'] },
  { slug: 'ag-beta-ops-1', host: 'agent-b', daemon: 'agent-b-w1', fleet: 'ops', tenant: 'beta', group: 'agents', class: 'agent', asset: 'run', capability: 'ops-agent', run: 'run-b', tags: ['agents'] },
];
const seen = { type: 'agents-observed', at: 0, workers: ['agent-a-w1', 'agent-b-w1'] };
const base = (scope = 'run', target = 'run-a') => [roster(AGENTS), seen, kill(1000, 1100, { scope, target })];
let n = 0;
const call = (run: string, startedAt: number, endedAt: number | null, o: Record<string, unknown> = {}) => ({
  type: 'agent-call', worker: 'agent-a-w1', id: `c${++n}`, run, kind: 'llm', name: 'sim-model', capability: 'llm', status: 200, startedAt, endedAt, aborted: false, abortedAt: null, ...o,
});
const aborted = (run: string, startedAt: number, at: number, o: Record<string, unknown> = {}) => call(run, startedAt, at, { aborted: true, abortedAt: at, ...o });
const tool = (name: string, access: 'read' | 'write') => ({ kind: 'tool', name, capability: name, access });
const task = (run: string, kind: string, event: string, at: number, o: Record<string, unknown> = {}) => ({ type: 'agent-task', worker: 'agent-a-w1', seq: ++n, at, run, kind, event, ...o });
const queue = (label: string, at: number, byRun: Record<string, Record<string, number>>, notRun = 0) => ({
  type: 'agent-queue', at, label, sinceKillMs: at - 1100, workers: [{ worker: 'agent-a-w1', ok: true, counts: { waiting: 0 }, byRun, notRun }],
});
const applied = (run: string, at: number, policy = 'discard') => task(run, 'step', 'policy', at, { policy });

describe('inflight-cancelled', () => {
  it('passes when every call in scope open at the flip was aborted within 1 s; one that ended on its own in the budget is listed', () => {
    const v = inflightCancelled(build(base(), aborted('run-a', 500, 1150), aborted('run-a', 900, 1300, tool('deep-research', 'read')), call('run-a', 1000, 1400), call('run-b', 900, 5000), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/2 of 3 call\(s\) open at the flip aborted within 1.00 s .*1 ended on their own within it \(longest 300 ms/);
    expect(v.details).toMatchObject({ openAtFlip: 3, aborted: 2, abortMs: { p50: 50, max: 200 } });
  });

  it('fails on a call that ran to completion after the flip (how long it bled), an abort too late, and one never aborted', () => {
    const v = inflightCancelled(build(base(), call('run-a', 500, 61_100, tool('deep-research', 'read')), aborted('run-a', 900, 2500), call('run-a', 1000, null, { open: true }), observed(9000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 call\(s\) open at the flip ran to completion instead of being aborted \(the longest bled 60.00 s past engagedAt\): deep-research of run-a/);
    expect(v.summary).toMatch(/1 call\(s\) aborted later than 1.00 s after engagedAt/);
    expect(v.summary).toMatch(/1 call\(s\) open at the flip were still open, never aborted/);
    expect(v.details).toMatchObject({ completedAfterFlip: [{ bledMs: 60_000 }] });
  });

  it('counts a child run in its parent\'s scope (from the task log), and follows budgetS', () => {
    const h = build(base(), task('run-a.c1', 'child', 'enqueued', 400, { parent: 'run-a' }), aborted('run-a.c1', 500, 2300), observed(9000));
    expect(inflightCancelled(h, {}).valid).toBe(false);
    expect(inflightCancelled(h, { 'inflight-cancelled': { budgetS: 1 } }).details).toMatchObject({ openAtFlip: 1 });
    expect(inflightCancelled(h, { 'inflight-cancelled': { budgetS: 2 } }).valid).toBe(true);
  });

  it('counts a call aborted between issuedAt and engagedAt (the worker heard first) as open at the flip, not one that ended on its own then', () => {
    const v = inflightCancelled(build(base(), aborted('run-a', 500, 1090), call('run-a', 500, 1050), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ openAtFlip: 1, aborted: 1, abortMs: { max: 0 } });
  });

  it('is unknown with no call in scope open at the flip, without agent observation, and without a confirmed kill', () => {
    expect(inflightCancelled(build(base(), call('run-a', 100, 900), call('run-b', 900, 5000), observed(9000)), {}).valid).toBe('unknown');
    expect(inflightCancelled(build(roster(AGENTS), kill(1000, 1100, { scope: 'run', target: 'run-a' }), aborted('run-a', 500, 1150)), {}).summary).toMatch(/no agent worker was observed/);
    expect(inflightCancelled(build(roster(AGENTS), seen, kill(1000, null, { scope: 'run', target: 'run-a' }), aborted('run-a', 500, 1150)), {}).valid).toBe('unknown');
  });
});

describe('capability-scope', () => {
  const order = tool('place-order', 'write');
  const quote = tool('get-quote', 'read');
  it('passes: a tool kill froze its writes, the other tools went on; a write in the propagation tail is listed', () => {
    const v = capabilityScope(build(base('capability', 'place-order'), call('run-a', 500, 700, order), call('run-a', 1105, 1300, order), applied('run-a', 1110), call('run-a', 1200, 1250, quote), call('run-b', 2000, 2100, quote), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/no write of place-order started after the flip \(1 in the propagation tail\).* and 2 call\(s\) of other tools went on/);
  });

  it('fails on a write of the frozen tool after the flip (even one the gateway refused), and when the kill froze the reads too', () => {
    const v = capabilityScope(build(base('capability', 'place-order'), call('run-a', 500, 700, order), call('run-a', 800, 900, quote), call('run-a', 3000, 3300, order), observed(9000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 write call\(s\) of the frozen capability started after the flip \(the first 1.90 s after engagedAt\): place-order/);
    expect(v.summary).toMatch(/no call of another tool started after the flip \(1 before it\): the kill of place-order froze the reads too/);
  });

  it('a run capability kill: reads after the flip are fine, writes are violations', () => {
    const v = capabilityScope(build(base('capability', 'support-agent'), call('run-a', 500, 700, order), call('run-a', 3000, 3100, quote), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ readsAfterFlip: 1, writesAfterFlip: [] });
    expect(capabilityScope(build(base('capability', 'support-agent'), call('run-a', 500, 700, order), call('run-a', 3000, 3100, order), observed(9000)), {}).valid).toBe(false);
  });

  it('is unknown for a kill of another scope and with no write in scope before the flip', () => {
    expect(capabilityScope(build(base(), call('run-a', 500, 700, order), observed(9000)), {}).summary).toMatch(/not capability/);
    expect(capabilityScope(build(base('capability', 'place-order'), call('run-a', 500, 700, quote), observed(9000)), {}).valid).toBe('unknown');
  });
});

describe('timers-cancelled', () => {
  it('passes when the timers and retries pending at the flip were removed or skipped', () => {
    const v = timersCancelled(build(base(), task('run-a', 'timer', 'enqueued', 900, { dueAt: 3000 }), task('run-a', 'retry', 'enqueued', 1000, { dueAt: 1500 }), task('run-a', 'timer', 'removed', 1110), task('run-a', 'retry', 'skipped', 1500), task('run-b', 'timer', 'started', 2000), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/none of the 2 timer\(s\)\/retry\(s\) pending at the flip fired after it \(1 removed by the kill, 1 skipped when due\)/);
  });

  it('fails on a retry set before the flip that fired after it (past the tail); one that fired before the worker heard is listed', () => {
    const v = timersCancelled(build(base(), task('run-a', 'retry', 'enqueued', 900, { dueAt: 4000 }), task('run-a', 'timer', 'enqueued', 900, { dueAt: 1105 }), task('run-a', 'timer', 'started', 1105), applied('run-a', 1120), task('run-a', 'retry', 'started', 4000), observed(9000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 timer\(s\)\/retry\(s\) of runs in scope fired after the flip \(the last 2.90 s after engagedAt; 2 were pending at it\): retry of run-a/);
    expect(v.details).toMatchObject({ firedInTail: 1 });
  });

  it('is unknown with nothing pending at the flip', () => {
    expect(timersCancelled(build(base(), task('run-a', 'timer', 'enqueued', 100, { dueAt: 600 }), task('run-a', 'timer', 'started', 600), observed(9000)), {}).valid).toBe('unknown');
  });
});

describe('children-stopped', () => {
  const child = (id: string, at: number) => task(id, 'child', 'enqueued', at, { parent: 'run-a' });
  it('passes when no child in scope was spawned or stepped after the flip', () => {
    const v = childrenStopped(build(base(), child('run-a.c1', 500), task('run-a.c1', 'step', 'started', 510), task('run-a.c1', 'step', 'skipped', 1500), task('run-b.c1', 'child', 'enqueued', 2000, { parent: 'run-b' }), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/1 child run\(s\) in scope, 1 started before it/);
  });

  it('fails on a child spawned after the flip and on a child that kept stepping', () => {
    const v = childrenStopped(build(base(), child('run-a.c1', 500), task('run-a.c1', 'step', 'started', 510), task('run-a.c1', 'step', 'started', 2600), child('run-a.c2', 3000), observed(9000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/2 child run\(s\) in scope started work after the flip \(1 spawned, 1 step\(s\); the last 1.90 s after engagedAt\): run-a.c2, run-a.c1/);
  });

  it('is unknown when no run in scope fanned out', () => {
    expect(childrenStopped(build(base(), task('run-b.c1', 'child', 'enqueued', 500, { parent: 'run-b' }), observed(9000)), {}).valid).toBe('unknown');
  });
});

describe('queue-policy', () => {
  const queued = [task('run-a', 'step', 'enqueued', 900, { dueAt: 1300 }), task('run-a', 'timer', 'enqueued', 950, { dueAt: 5000 })];
  it('discard: passes when the jobs queued at the flip were removed and journaled, nothing left in scope later', () => {
    const v = queuePolicy(build(base(), queued, queue('T+0', 1105, { 'run-a': { delayed: 2 }, 'run-b': { delayed: 1 } }), task('run-a', 'step', 'removed', 1108, { policy: 'discard' }), task('run-a', 'timer', 'removed', 1108, { policy: 'discard' }), applied('run-a', 1110), queue('before-release', 13_100, { 'run-b': { delayed: 1 } }, 2), observed(20_000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/discard honoured: .*2 job\(s\) removed and journaled as not run \(in scope: 2 queued at T\+0, 0 at before-release\)/);
    expect(v.details).toMatchObject({ policy: 'discard', pendingAtFlip: 1 });
  });

  it('discard: fails when the discard drained (jobs taken after it was applied, none journaled) and a job in scope is still queued later', () => {
    const v = queuePolicy(build(base(), queued, queue('T+0', 1105, { 'run-a': { delayed: 2 } }), applied('run-a', 1110), task('run-a', 'step', 'skipped', 1300), queue('T+60s', 61_100, { 'run-a': { delayed: 1 } }, 0), observed(70_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 job\(s\) in scope were taken off the queue after the discard was applied/);
    expect(v.summary).toMatch(/1 job\(s\) in scope still queued at T\+60s \(60 s after the kill\) under discard/);
  });

  it('drain: fails on a new job in scope enqueued after the flip; passes when the queued ones are only taken and skipped', () => {
    const drain = [roster(AGENTS), seen, kill(1000, 1100, { scope: 'run', target: 'run-a', queue: 'drain' })];
    const ok = queuePolicy(build(drain, queued, queue('T+0', 1105, { 'run-a': { delayed: 2 } }), applied('run-a', 1110, 'drain'), task('run-a', 'step', 'skipped', 1300), queue('T+60s', 61_100, { 'run-a': { delayed: 1 } }), observed(70_000)), {});
    expect(ok.valid).toBe(true);
    const bad = queuePolicy(build(drain, queued, queue('T+0', 1105, { 'run-a': { delayed: 2 } }), applied('run-a', 1110, 'drain'), task('run-a', 'step', 'enqueued', 2500), queue('T+60s', 61_100, {}), observed(70_000)), {});
    expect(bad.valid).toBe(false);
    expect(bad.summary).toMatch(/drain: 1 new job\(s\) in scope enqueued after the flip under drain/);
  });

  it('drain: fails when the worker discarded anyway (a queued step removed, the policy applied was discard)', () => {
    const drain = [roster(AGENTS), seen, kill(1000, 1100, { scope: 'run', target: 'run-a', queue: 'drain' })];
    const v = queuePolicy(build(drain, queued, queue('T+0', 1105, { 'run-a': { delayed: 2 } }), task('run-a', 'step', 'removed', 1108, { policy: 'discard' }), applied('run-a', 1110, 'discard'), queue('T+60s', 61_100, {}, 1), observed(70_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/the kill said drain and 1 run\(s\) in scope had discard applied \(run-a\)/);
    expect(v.summary).toMatch(/1 queued step\(s\) in scope removed under drain/);
    // The worker heard the kill before the harness heard the lever's answer: still judged.
    const early = queuePolicy(build(drain, queued, queue('T+0', 1105, { 'run-a': { delayed: 2 } }), task('run-a', 'step', 'removed', 1040, { policy: 'discard' }), applied('run-a', 1050, 'discard'), queue('T+60s', 61_100, {}, 1), observed(70_000)), {});
    expect(early.valid).toBe(false);
    expect(early.summary).toMatch(/the kill said drain and 1 run\(s\) in scope had discard applied/);
  });

  it('discard: fails when the worker applied drain to a run in scope', () => {
    const v = queuePolicy(build(base(), queued, queue('T+0', 1105, { 'run-a': { delayed: 2 } }), task('run-a', 'step', 'removed', 1108, { policy: 'discard' }), applied('run-a', 1110, 'drain'), queue('before-release', 13_100, {}, 1), observed(20_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/the kill said discard and 1 run\(s\) in scope had drain applied/);
  });

  it('is unknown without both queue reads, with a failed read, and with nothing queued in scope at the flip', () => {
    expect(queuePolicy(build(base(), queued, queue('T+0', 1105, {}), observed(9000)), {}).summary).toMatch(/not read at both T\+0 and later \(T\+0\)/);
    const failed = { type: 'agent-queue', at: 13_000, label: 'before-release', sinceKillMs: 11_900, workers: [{ worker: 'agent-a-w1', ok: false, error: 'ECONNREFUSED' }] };
    expect(queuePolicy(build(base(), queued, queue('T+0', 1105, {}), failed, observed(20_000)), {}).summary).toMatch(/could not be read: agent-a-w1: ECONNREFUSED/);
    expect(queuePolicy(build(base(), queue('T+0', 1105, {}), queue('case-end', 9000, {}), observed(20_000)), {}).valid).toBe('unknown');
    const timersOnly = queuePolicy(build(base(), task('run-a', 'timer', 'enqueued', 950, { dueAt: 5000 }), queue('T+0', 1105, { 'run-a': { delayed: 1 } }), task('run-a', 'timer', 'removed', 1108, { policy: 'timers' }), queue('case-end', 9000, {}), observed(20_000)), {});
    expect(timersOnly.summary).toMatch(/no step of a run in scope was queued at the flip \(1 job\(s\) in scope at T\+0: timers and retries/);
  });
});

describe('the judged window', () => {
  it('ends at the release: a child stepping, a timer firing or a write after it is the resume, not a violation', () => {
    const rel = { type: 'lever-issued', lever: 'release', path: 'rest', scope: 'run', target: 'run-a', mode: 'freeze', at: 5000 };
    const child = task('run-a.c1', 'child', 'enqueued', 500, { parent: 'run-a' });
    expect(childrenStopped(build(base(), child, task('run-a.c1', 'step', 'started', 6000), rel, observed(9000)), {}).valid).toBe(true);
    expect(childrenStopped(build(base(), child, task('run-a.c1', 'step', 'started', 4000), rel, observed(9000)), {}).valid).toBe(false);
    expect(timersCancelled(build(base(), task('run-a', 'timer', 'enqueued', 900, { dueAt: 6000 }), task('run-a', 'timer', 'started', 6000), rel, observed(9000)), {}).valid).toBe(true);
  });
});

describe('the agent checkers in the suite', () => {
  it('run only when the expect block names them, and an agents observer loss makes a pass unknown', () => {
    const h = build(base(), aborted('run-a', 500, 1150), observed(9000));
    const names = (e: object) => runCheckers(h, e as never).map((v) => v.checker);
    expect(names({})).not.toContain('inflight-cancelled');
    expect(names({ 'inflight-cancelled': {} })).toContain('inflight-cancelled');
    const lost = build(base(), aborted('run-a', 500, 1150), { type: 'observer-failed', source: 'agents', error: 'ECONNREFUSED', from: 1200, to: 9000, recovered: false }, observed(9000));
    expect(CHECKERS['inflight-cancelled'](lost, {}).valid).toBe(true);
    expect(runCheckers(lost, { 'inflight-cancelled': {} }).find((v) => v.checker === 'inflight-cancelled')!.valid).toBe('unknown');
  });
});
