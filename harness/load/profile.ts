// A scenario's `load.k6` rate profile (constant or ramping arrival rate) and what it asks for at a
// moment: the k6 executor it becomes, and the target request rate load-held judges by.
// Shipped scripts make one request per iteration, so iterations/s = requests/s.

export interface Stage {
  target: number;
  durationMs: number;
}

export type RateProfile = { kind: 'constant'; rate: number } | { kind: 'ramping'; start: number; stages: Stage[] };

/** The target rate (requests/s) `sinceMs` after k6 started its executor; k6's ramping: linear from the previous rate to each stage's target, then held at the last. */
export function targetRateAt(p: RateProfile, sinceMs: number): number {
  if (p.kind === 'constant') return p.rate;
  let from = p.start;
  let t = Math.max(0, sinceMs);
  for (const s of p.stages) {
    if (t < s.durationMs) return from + ((s.target - from) * t) / s.durationMs;
    t -= s.durationMs;
    from = s.target;
  }
  return from;
}

export const peakRate = (p: RateProfile) => (p.kind === 'constant' ? p.rate : Math.max(p.start, ...p.stages.map((s) => s.target)));

/** Most VUs a default k6 load may need: one per request per second of its peak (each iteration may take a whole second), at least 10, at most 400. */
export const DEFAULT_VUS_CAP = 400;
export function defaultVus(peak: number): number {
  // peak/5 (an iteration may take 200 ms) dropped 6 iterations in a second around the flip in CI
  // (path-rest-k6 at 50/s, 44/s held, 'no free VU'): a busy 2-core machine stalls the broker's
  // answers past 200 ms. A second's worth is what the load-held verdict's one-second buckets need.
  return Math.min(DEFAULT_VUS_CAP, Math.max(10, Math.ceil(peak)));
}

/**
 * k6 `options.scenarios` for the profile. The load runs until the harness stops it: the constant
 * executor for `holdMs`, a ramp's last target held for `holdMs` after its stages (k6 ends a test
 * when its executors end; the harness stops it at the case's end, well before).
 */
export function k6Scenario(p: RateProfile, holdMs: number, vus?: number): Record<string, unknown> {
  const maxVUs = vus ?? defaultVus(peakRate(p));
  // Every VU set up before the first iteration: one k6 starts mid-test costs a script compile, and the
  // iterations it misses meanwhile are dropped (seen on a busy 2-core machine: 12 dropped in 2 s at 50/s).
  const preAllocatedVUs = maxVUs;
  const s = (ms: number) => `${Math.ceil(ms / 1000)}s`;
  if (p.kind === 'constant') return { executor: 'constant-arrival-rate', rate: p.rate, timeUnit: '1s', duration: s(holdMs), preAllocatedVUs, maxVUs };
  const last = p.stages[p.stages.length - 1].target;
  return {
    executor: 'ramping-arrival-rate',
    startRate: p.start,
    timeUnit: '1s',
    preAllocatedVUs,
    maxVUs,
    stages: [...p.stages.map((st) => ({ target: st.target, duration: `${st.durationMs}ms` })), { target: last, duration: s(holdMs) }],
  };
}
