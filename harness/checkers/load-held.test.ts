// load-held on literal histories: passes, fails (a second short, a threshold crossed), unknown (no load, k6 died before the flip, bots never stopped).
import { describe, expect, it } from 'vitest';
import { runCheckers } from './index.ts';
import { loadHeld } from './load-held.ts';
import { allPhase, build, effect, kill, observed, roster } from './history-fixture.ts';

const start = (profile: unknown = { kind: 'constant', rate: 50 }) => ({ type: 'load-start', at: 900, tool: 'k6', script: 'broker-ui', profile, thresholds: {}, pid: 1, args: [] });
const running = (at = 1000) => ({ type: 'load-running', at });
const sec = (at: number, requestsPerS = 50, extra: Record<string, unknown> = {}) => ({ type: 'load', at, spanMs: 1000, requests: requestsPerS, requestsPerS, errors: 0, errorsPerS: 0, p50Ms: 2, p99Ms: 9, dropped: 0, ...extra });
const end = (at = 30_000, extra: Record<string, unknown> = {}) => ({ type: 'load-end', at, stoppedBy: 'harness', exitCode: 105, signal: null, thresholdsCrossed: [], late: 0, ...extra });
/** k6 from 1 s to 29 s, the rates given per second overriding 50/s. */
const seconds = (rates: Record<number, number> = {}, upTo = 29) => Array.from({ length: upTo }, (_, i) => sec((i + 1) * 1000, rates[(i + 1) * 1000] ?? 50));

// kill issued at 20 s, engaged 20.1 s; every bot Stopped at 22.5 s: the window is 15.1 s … 22.5 s (seconds 15 … 22).
const run = (load: unknown[], stoppedAt: number | null = 22_500) =>
  build(roster(), allPhase('Running', 500), load as never, effect('mm-aapl', 'order', 18_000), effect('sa-msft', 'order', 19_000), kill(20_000, 20_100), stoppedAt === null ? [] : allPhase('Stopped', stoppedAt), observed(31_000));

describe('load-held', () => {
  it('passes when every second from 5 s before the flip until every bot Stopped is within 10 % of the target, with the bots\' effect rate beside it', () => {
    const v = loadHeld(run([start(), running(), seconds({ 16_000: 46, 21_000: 55, 3000: 10 }), end()]), {});
    expect(v.valid, v.summary).toBe(true);
    expect(v.details.seconds).toHaveLength(8);
    expect(v.summary).toMatch(/8 seconds .*mean 50.* requests\/s/);
    expect(v.details.botEffectsPerS).toBeGreaterThan(0);
  });

  it('fails with the seconds that fell short (a second outside the window does not count)', () => {
    const v = loadHeld(run([start(), running(), seconds({ 17_000: 44, 22_000: 20, 25_000: 0 }), end()]), {});
    expect(v.valid).toBe(false);
    expect((v.details.off as Array<{ at: number }>).map((o) => o.at)).toEqual([17_000, 22_000]);
    expect(v.summary).toMatch(/2 of 8 seconds .*-3 s: 44\/s of 50\/s, short.*2 s: 20\/s of 50\/s/);
  });

  it('fails when it ran over the target too, and when seconds are missing (k6 died after the flip)', () => {
    expect(loadHeld(run([start(), running(), seconds({ 19_000: 60 }), end()]), {}).valid).toBe(false);
    const died = loadHeld(run([start(), running(), seconds({}, 20), end(21_000, { stoppedBy: 'itself', exitCode: 107 })]), {});
    expect(died.valid).toBe(false);
    expect(died.summary).toMatch(/no k6 request was sent/);
  });

  it('fails when a k6 threshold was crossed, though the rate held', () => {
    const v = loadHeld(run([start(), running(), seconds(), end(30_000, { thresholdsCrossed: ['http_req_failed: rate<0.01'] })]), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/thresholds crossed: http_req_failed: rate<0.01/);
  });

  it('judges a ramp by its target at each second (linear, then held)', () => {
    // 0 → 50/s over 10 s from 1 s (zero), then 50/s: at 15.5 s the target is 50.
    const ramp = { kind: 'ramping', start: 0, stages: [{ target: 50, durationMs: 10_000 }] };
    const ramped = Array.from({ length: 29 }, (_, i) => sec((i + 1) * 1000, Math.min(50, Math.round(((i + 1) * 1000 + 500 - 1000) / 200))));
    expect(loadHeld(run([start(ramp), running(), ramped, end()]), {}).valid).toBe(true);
    const slow = { kind: 'ramping', start: 0, stages: [{ target: 50, durationMs: 40_000 }] };
    expect(loadHeld(run([start(slow), running(), ramped, end()]), {}).valid).toBe(false);
  });

  it('is unknown, not drilled under load, when k6 never started or died before the flip', () => {
    const none = loadHeld(run([]), {});
    expect(none.valid).toBe('unknown');
    expect(none.summary).toMatch(/not drilled under load/);
    const early = loadHeld(run([start(), running(), seconds({}, 12), end(13_000, { stoppedBy: 'itself', exitCode: 107, error: 'script error' })]), {});
    expect(early.valid).toBe('unknown');
    expect(early.summary).toMatch(/not drilled under load: k6 ended .* before the flip .*exited by itself/);
    const silent = loadHeld(run([start(), end(13_000, { stoppedBy: 'itself', exitCode: 107 })]), {});
    expect(silent.summary).toMatch(/not drilled under load: k6 recorded no request/);
  });

  it('is unknown when the bots never all stopped (the window never closed) or k6\'s end is missing', () => {
    expect(loadHeld(run([start(), running(), seconds({}, 31), end(31_900)], null), {}).valid).toBe('unknown');
    expect(loadHeld(run([start(), running(), seconds()]), {}).valid).toBe('unknown');
  });

  it('runs when the run declared load.k6 (even if k6 never started) or the expect block names it, else not at all', () => {
    const named = (h: ReturnType<typeof run>, e = {}) => runCheckers(h, e).find((v) => v.checker === 'load-held');
    expect(named(run([]))).toBeUndefined();
    expect(named(run([]), { 'load-held': {} })?.valid).toBe('unknown');
    const declared = build({ type: 'run-start', runId: 'r', scenario: 's', case: 'default', seed: 1, config: {}, plan: { load: { k6: { script: 'broker-ui' } } } }, run([]).ops as never);
    expect(named(declared)?.summary).toMatch(/not drilled under load/);
  });
});
