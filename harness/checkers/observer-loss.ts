// A checker's `true` rests on its sources (needs.ts) having been read to the end of the run. When one
// of them lost data (an unrecovered `observer-failed` episode), the `true` becomes `unknown`, saying
// which source, why and from when; `false` and `unknown` stand (a violation seen is proven). An
// `unknown` of its own names the lost source first (the likely root cause: e.g. a ledger that stopped
// being read shows as a gap or a missing book) and keeps its own reason after it.
import type { History, ObserverFailedOp } from '../history/index.ts';
import type { CheckerName } from './names.ts';
import { NEEDS } from './needs.ts';
import type { Verdict } from './types.ts';
import { fmtMs } from './stats.ts';

/** The unrecovered failures of the sources `checker` needs. */
export function lostSources(h: History, checker: CheckerName): ObserverFailedOp[] {
  const needs = NEEDS[checker] ?? [];
  return h.observerFailures().filter((f) => !f.recovered && (needs as readonly string[]).includes(f.source));
}

export function withObserverLoss(h: History, v: Verdict): Verdict {
  if (v.valid === false) return v;
  const lost = lostSources(h, v.checker);
  if (!lost.length) return v;
  const kill = h.lever('kill');
  const when = (at: number) => (kill ? `${at < kill.issuedAt ? '-' : '+'}${fmtMs(Math.abs(at - kill.issuedAt))} from the kill` : `t=${at}`);
  const what = lost.map((f) => `the ${f.source} observer failed from ${when(f.from)} to the end of observation (${when(f.to)}): ${f.error}`);
  const observerLoss = lost.map((f) => ({ source: f.source, error: f.error, from: f.from, to: f.to }));
  if (v.valid === 'unknown') return { ...v, summary: `${what.join('; ')}; what happened after it failed was never read, and the checker could not decide anyway: ${v.summary}`, details: { ...v.details, observerLoss } };
  return {
    checker: v.checker,
    valid: 'unknown',
    summary: `not proven: ${what.join('; ')}; what happened after it failed was never read (it would have said: ${v.summary})`,
    details: { ...v.details, observerLoss, verdictWithoutLoss: true },
  };
}
