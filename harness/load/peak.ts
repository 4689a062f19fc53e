// `load.k6.rate: 2x-peak` (any `<N>x-peak`): N times the target's measured peak of control-plane
// traffic, as a constant arrival rate. The peak is what the target declares (docs/load.md "2x-peak"):
// the highest broker API requests/s its production traffic reached, with where, when and how it was
// measured — the simulated fleet's in the scenario's `fleet.peak`, an external system's in its target
// file's `peak`. A target that declares none has no peak to double: refused, never guessed.
import type { RateProfile } from './profile.ts';

export const PEAK_RATE = /^([0-9]+(?:\.[0-9]+)?)x-peak$/;

export interface Peak {
  /** The highest requests/s the broker API served in production, over one second. */
  brokerRequestsPerS: number;
  /** Where, when and how it was measured (e.g. the 1-s maximum of the broker's request counter over a month). */
  measured: string;
}

/** What the rate was computed from: recorded in the plan and the history (load-start), shown in the evidence. */
export interface FromPeak {
  factor: number;
  peak: Peak;
}

/** The factor of an `<N>x-peak` rate, or null when the rate is not one. */
export function peakFactor(rate: unknown): number | null {
  if (typeof rate !== 'string') return null;
  const m = PEAK_RATE.exec(rate);
  return m ? Number(m[1]) : null;
}

/** `<N>x-peak` → a constant rate of N × the declared peak (rounded up to a whole request/s), or why not. */
export function peakProfile(rate: string, peak: Peak | undefined): { profile: RateProfile; fromPeak: FromPeak } | { error: string } {
  const factor = peakFactor(rate);
  if (factor === null) return { error: `'${rate}' is not a peak rate; write it as <N>x-peak, e.g. 2x-peak` };
  if (!(factor > 0)) return { error: `'${rate}': the factor must be above 0, e.g. 2x-peak` };
  if (!peak) return { error: `${rate} is ${factor} times the target's measured peak of broker API requests/s, and the target declares none; declare it (fleet.peak in the scenario for the simulated fleet, peak in an external target file: { brokerRequestsPerS, measured }), or give a constant rate` };
  return { profile: { kind: 'constant', rate: Math.ceil(factor * peak.brokerRequestsPerS) }, fromPeak: { factor, peak: { ...peak } } };
}
