// Timers that never fire before their deadline. Node's setTimeout measures from the event
// loop's cached clock (libuv's loop time, in whole ms), which can lag performance.now() by
// up to a millisecond or more on a busy loop, so a timer can run early. Every wait in the
// toxics goes through here: on each fire the deadline is re-checked against the monotonic
// clock (performance.now()) and the timer re-armed for what is left.

/** The clock and timer functions used (real ones by default; a unit test passes fakes). */
export interface TimerApi {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimerApi = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Calls `fn` once, at or after `deadline` (a `timers.now()` value). Returns a cancel function. */
export function atDeadline(deadline: number, fn: () => void, timers: TimerApi = realTimers): () => void {
  let handle: unknown;
  let cancelled = false;
  const check = (): void => {
    handle = undefined;
    if (cancelled) return;
    const left = deadline - timers.now();
    if (left > 0) {
      // Whole ms, rounded up: a timer never needs less than what is left.
      handle = timers.setTimeout(check, Math.ceil(left));
      return;
    }
    fn();
  };
  check();
  return () => {
    cancelled = true;
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
  };
}

/** Resolves at or after `deadline`, or as soon as `signal` aborts. A past deadline resolves at once. */
export function sleepUntil(deadline: number, signal: AbortSignal, timers: TimerApi = realTimers): Promise<void> {
  if (signal.aborted || deadline <= timers.now()) return Promise.resolve();
  return new Promise((resolve) => {
    let cancel: (() => void) | undefined;
    const done = (): void => {
      cancel?.();
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    cancel = atDeadline(deadline, done, timers);
  });
}

/** Sleeps at least `ms` (from now), or less if `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal, timers: TimerApi = realTimers): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return sleepUntil(timers.now() + ms, signal, timers);
}
