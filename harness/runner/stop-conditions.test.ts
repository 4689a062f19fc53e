// The stop conditions themselves, on a fake clock and fake probes (no fleet, no network).
import { describe, expect, it } from 'vitest';
import { caseDeadline, firstOf, guard, probeEvery, type Ticker } from './stop-conditions.ts';
import { describeStopOptions, caseStop, hasStopConditions } from './case-stop.ts';
import { noRestartReason } from './run-case.ts';

const clock = (t = 1000) => ({ now: () => t, set: (v: number) => void (t = v) });

describe('caseDeadline (--max-case-duration)', () => {
  it('holds nothing before the cap and says so once the case ran longer', () => {
    const c = clock();
    const d = caseDeadline(5000, c.now);
    c.set(5999);
    expect(d.reason()).toBeNull();
    c.set(6000);
    expect(d.reason()).toBe('killdrill: stop condition --max-case-duration 5s: the case ran 5.00 s, longer than its cap; raise the cap or shorten the scenario');
  });
});

describe('guard (--guard, --guard-redis-key)', () => {
  it('stays good while the probe is good, turns bad at the first bad answer and stays bad', async () => {
    const c = clock();
    const answers: Array<string | null> = [null, null, 'GET http://127.0.0.1:1/health answered 503: down', null];
    const g = guard('--guard http://127.0.0.1:1/health', async () => answers.shift() ?? null, c.now);
    await g.check();
    await g.check();
    expect(g.reason()).toBeNull();
    c.set(4000);
    await g.check();
    expect(g.reason()).toBe('killdrill: stop condition --guard http://127.0.0.1:1/health turned bad 3.00 s into the case: GET http://127.0.0.1:1/health answered 503: down');
    await g.check();
    expect(g.reason()).toMatch(/answered 503/); // a good answer later does not clear it
    expect(answers).toEqual([null]); // and a latched guard is not probed again
  });

  it('counts a probe that throws as bad', async () => {
    const g = guard('--guard-redis-key drill:stop', async () => Promise.reject(new Error('killdrill: probe broke')), clock().now);
    await g.check();
    expect(g.reason()).toMatch(/^killdrill: stop condition --guard-redis-key drill:stop turned bad 0 ms into the case: probe broke$/);
  });

  it('does not start a probe while the last one is still running', async () => {
    let calls = 0;
    let answer: (v: string | null) => void = () => {};
    const g = guard('g', () => (calls++, new Promise<string | null>((r) => (answer = r))));
    const first = g.check();
    await g.check();
    expect(calls).toBe(1);
    answer('bad');
    await first;
    expect(g.reason()).toMatch(/turned bad .* bad$/);
  });
});

describe('firstOf and probeEvery', () => {
  it('firstOf gives the first condition that holds, null when none does', () => {
    expect(firstOf([{ reason: () => null }, { reason: () => 'b' }, { reason: () => 'c' }]).reason()).toBe('b');
    expect(firstOf([{ reason: () => null }]).reason()).toBeNull();
  });

  it('probeEvery probes at once and at every tick until stopped', async () => {
    let tick: () => void = () => {};
    let off = false;
    const ticker: Ticker = { every: (_ms, fn) => ((tick = fn), () => void (off = true)) };
    let probes = 0;
    const stop = probeEvery([guard('g', async () => (probes++, null))], 1000, ticker);
    expect(probes).toBe(1);
    const settled = () => new Promise((r) => setImmediate(r));
    await settled();
    tick();
    await settled();
    tick();
    expect(probes).toBe(3);
    await stop();
    expect(off).toBe(true);
  });
});

describe('caseStop and the stop options in words', () => {
  it('makes nothing when no stop condition was given, and says each one that was', async () => {
    expect(caseStop({})).toBeNull();
    expect(hasStopConditions({})).toBe(false);
    const o = { maxCaseDurationMs: 90_000, stopOnNoRestart: true, guardUrls: ['http://127.0.0.1:9/health'], guardRedisKeys: ['drill:stop'] };
    expect(hasStopConditions(o)).toBe(true);
    expect(describeStopOptions(o)).toEqual([
      'interrupt a case that runs longer than 90s',
      'interrupt a case whose bots are not all Running again within the restart budget after the release',
      'interrupt when GET http://127.0.0.1:9/health stops answering 2xx (probed every 1 s)',
      "interrupt when the Redis key 'drill:stop' exists in the fleet's Redis (probed every 1 s)",
    ]);
    const s = caseStop({ maxCaseDurationMs: 60_000 })!;
    expect(s.reason()).toBeNull();
    await s.close();
  });
});

describe('noRestartReason (--stop-on-no-restart)', () => {
  it('names every in-scope bot that is not Running, with the phase it was last seen in', () => {
    const phases = new Map([['a', 'Running'], ['b', 'Stopped'], ['c', 'Draining']]);
    expect(noRestartReason(['a', 'b', 'c', 'd'], phases, 30_000)).toBe(
      'killdrill: stop condition --stop-on-no-restart: 3 bot(s) not Running again within the 30 s restart budget after the release: b (Stopped), c (Draining), d (no phase seen); check those bots before drilling on',
    );
  });
});
