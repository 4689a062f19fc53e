// Stop conditions of a drill (issue 12 item 3; AWS FIS stop conditions, Chaos Toolkit safeguards):
// each one, once it holds, ends its case `interrupted` with its reason — run-case.ts checks
// `reason()` in every wait, and its finally block heals the faults and releases this run's kill.
// Pure objects: the clock and the probes are given, so unit tests drive them without a fleet.
import { formatDuration } from '../scenario/duration.ts';
import { fmtMs } from '../checkers/stats.ts';

export interface StopCondition {
  /** Why the case must stop now (`killdrill: stop condition …`), or null while it may go on. */
  reason(): string | null;
}

/** The per-case set run-case.ts receives: its conditions, and what they need once the fleet is up. */
export interface CaseStop extends StopCondition {
  /** The drilled system's endpoints, once they are known (the Redis guard reads its Redis). */
  attach(target: { redisUrl: string }): void;
  /** Stop probing (the case ended). */
  close(): Promise<void>;
}

/** `--max-case-duration`: the case's wall-clock cap, counted from when this object is made (the case's start). */
export function caseDeadline(maxMs: number, now: () => number = Date.now): StopCondition {
  const start = now();
  return {
    reason: () => (now() - start >= maxMs ? `killdrill: stop condition --max-case-duration ${formatDuration(maxMs)}: the case ran ${fmtMs(now() - start)}, longer than its cap; raise the cap or shorten the scenario` : null),
  };
}

/** One probe of a guardrail: null while it is good, else what is wrong; a throw counts as bad. */
export type Probe = () => Promise<string | null>;

export interface Guard extends StopCondition {
  /** Probe once (a probe still running is not started again); the first bad answer stays the reason. */
  check(): Promise<void>;
}

/** A guardrail (`--guard`, `--guard-redis-key`): turns the case's stop on at its first bad probe, and stays on. */
export function guard(name: string, probe: Probe, now: () => number = Date.now): Guard {
  const start = now();
  let bad: string | null = null;
  let running = false;
  return {
    reason: () => bad,
    async check() {
      if (bad !== null || running) return;
      running = true;
      let why: string | null;
      try {
        why = await probe();
      } catch (err) {
        why = err instanceof Error ? err.message : String(err);
      } finally {
        running = false;
      }
      if (why !== null && bad === null) bad = `killdrill: stop condition ${name} turned bad ${fmtMs(Math.max(0, now() - start))} into the case: ${why.replace(/^killdrill: /, '')}`;
    },
  };
}

/** The first condition that holds (in the order given). */
export function firstOf(conditions: StopCondition[]): StopCondition {
  return {
    reason() {
      for (const c of conditions) {
        const r = c.reason();
        if (r !== null) return r;
      }
      return null;
    },
  };
}

export interface Ticker {
  every(ms: number, fn: () => void): () => void;
}

export const realTicker: Ticker = {
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

/** Probes every guard now and then every `everyMs` until stopped; resolves the probes still running on stop. */
export function probeEvery(guards: Guard[], everyMs: number, ticker: Ticker = realTicker): () => Promise<void> {
  const running = new Set<Promise<void>>();
  const tick = () => {
    for (const g of guards) {
      const p = g.check();
      running.add(p);
      void p.finally(() => running.delete(p));
    }
  };
  tick();
  const off = ticker.every(everyMs, tick);
  return async () => {
    off();
    await Promise.allSettled([...running]);
  };
}
