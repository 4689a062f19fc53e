// The deadline helper under a fake clock whose timers fire early, as Node's can.
import { describe, expect, it } from 'vitest';
import { atDeadline, sleepUntil, type TimerApi } from './deadline.ts';

/** A fake clock: each timer fires `earlyMs` before the time it was armed for (but after half its delay, so time moves on). */
function earlyTimers(earlyMs: number) {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const armed: number[] = [];
  const api: TimerApi = {
    now: () => now,
    setTimeout: (fn, ms) => {
      armed.push(ms);
      const id = nextId++;
      pending.set(id, { at: now + Math.max(ms / 2, ms - earlyMs), fn });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  /** Runs timers in time order until none is left (at most 1000, so a bug cannot hang the test). */
  const runAll = (): void => {
    for (let n = 0; pending.size > 0; n++) {
      if (n > 1000) throw new Error('timers kept re-arming');
      const [id, t] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      pending.delete(id);
      now = t.at;
      t.fn();
    }
  };
  return { api, runAll, armed, pending, now: () => now };
}

describe('atDeadline', () => {
  it('never calls back before the deadline when the timer fires early, and re-arms for what is left', () => {
    const clock = earlyTimers(1.2);
    let firedAt = -1;
    atDeadline(100, () => (firedAt = clock.now()), clock.api);
    clock.runAll();
    expect(firedAt).toBeGreaterThanOrEqual(100);
    // First armed for 100 ms, fired at 98.8, re-armed (rounded up) for the 1.2 ms left, then again.
    expect(clock.armed[0]).toBe(100);
    expect(clock.armed.length).toBeGreaterThan(1);
    expect(clock.armed.slice(1).every((ms) => ms >= 1)).toBe(true);
  });

  it('a plain timer under the same clock does fire early (the case the helper exists for)', () => {
    const clock = earlyTimers(1.2);
    let firedAt = -1;
    clock.api.setTimeout(() => (firedAt = clock.now()), 100);
    clock.runAll();
    expect(firedAt).toBeLessThan(100);
  });

  it('calls back at once for a deadline already passed, and not at all once cancelled', () => {
    const clock = earlyTimers(0);
    let calls = 0;
    atDeadline(-5, () => calls++, clock.api);
    expect(calls).toBe(1);
    const cancel = atDeadline(50, () => calls++, clock.api);
    cancel();
    clock.runAll();
    expect(calls).toBe(1);
    expect(clock.pending.size).toBe(0);
  });
});

describe('sleepUntil', () => {
  it('resolves no earlier than the deadline under early timers', async () => {
    const clock = earlyTimers(3);
    const done = sleepUntil(40, new AbortController().signal, clock.api).then(() => clock.now());
    clock.runAll();
    expect(await done).toBeGreaterThanOrEqual(40);
  });

  it('resolves at once when aborted, leaving no timer armed', async () => {
    const clock = earlyTimers(0);
    const ac = new AbortController();
    const done = sleepUntil(1000, ac.signal, clock.api).then(() => clock.now());
    ac.abort();
    expect(await done).toBe(0);
    expect(clock.pending.size).toBe(0);
  });
});
