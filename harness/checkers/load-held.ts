// load-held: the declared k6 load really ran around the lever (issue 15 item 2, docs/load.md): every
// second from LEAD_MS before engagedAt until every in-scope bot is Stopped, k6's request rate within
// TOLERANCE of its target, and no k6 threshold crossed. No load recorded (k6 never started, or
// died before the flip) is unknown: "not drilled under load". The bots' own effect rate is beside it.
import type { History } from '../history/index.ts';
import type { LoadEndOp, LoadSecondOp, LoadStartOp } from '../history/ops.ts';
import { targetRateAt } from '../load/profile.ts';
import type { Checker } from './types.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';

export const LEAD_MS = 5000;
export const TOLERANCE = 0.1;

/** The run declared k6 load: its plan (run-start) has load.k6, or k6 was started. */
export function loadDeclared(h: History): boolean {
  const plan = (h.runStart() as { plan?: { load?: { k6?: unknown } } } | null)?.plan;
  return plan?.load?.k6 != null || h.ofType('load-start').length > 0;
}

const NOT = 'not drilled under load';

export const loadHeld: Checker = (h) => {
  const name = 'load-held';
  const start = h.ofType('load-start')[0] as LoadStartOp | undefined;
  const end = h.ofType('load-end')[0] as LoadEndOp | undefined;
  const seconds = h.ofType('load') as LoadSecondOp[];
  const why = end ? ` (k6 ${end.stoppedBy === 'itself' ? 'exited by itself' : 'was stopped'}: code ${end.exitCode}${end.error ? `, ${end.error}` : ''})` : '';
  if (!start) return unknown(name, `${NOT}: no k6 load was started in this run (no load-start in the history)`);
  const ready = killAndScope(h, name, { needEngaged: true });
  if (isVerdict(ready)) return ready;
  const engagedAt = ready.kill.engagedAt!;
  if (!seconds.length) return unknown(name, `${NOT}: k6 recorded no request at all${why}`, { end });
  if (end && end.at < engagedAt) return unknown(name, `${NOT}: k6 ended ${Math.round(engagedAt - end.at)} ms before the flip${why}`, { end });

  const from = engagedAt - LEAD_MS;
  const stops = ready.inScope.map((b) => h.firstIn(b.slug, ['Stopped'], ready.kill.issuedAt));
  const allStopped = stops.every((s) => s !== null);
  const until = allStopped ? Math.max(...(stops as number[])) : h.observedUntil();
  const zero = h.ofType('load-running')[0]?.at ?? start.at;
  const byAt = new Map(seconds.map((s) => [s.at, s]));
  const judged: Array<{ at: number; targetPerS: number; requestsPerS: number; errorsPerS: number; p99Ms: number | null }> = [];
  const off: Array<{ at: number; targetPerS: number; requestsPerS: number; why: string }> = [];
  let total = 0;
  for (let sec = Math.floor(from / 1000) * 1000; sec <= until; sec += 1000) {
    total++;
    const target = Math.round(targetRateAt(start.profile, sec + 500 - zero) * 100) / 100;
    const s = byAt.get(sec);
    if (!s || s.spanMs < 1000) {
      off.push({ at: sec, targetPerS: target, requestsPerS: s?.requestsPerS ?? 0, why: s ? `k6 stopped ${s.spanMs} ms into the second` : 'no k6 request was sent' });
      continue;
    }
    judged.push({ at: sec, targetPerS: target, requestsPerS: s.requestsPerS, errorsPerS: s.errorsPerS, p99Ms: s.p99Ms });
    if (Math.abs(s.requestsPerS - target) > TOLERANCE * target) off.push({ at: sec, targetPerS: target, requestsPerS: s.requestsPerS, why: s.requestsPerS < target ? `short${s.dropped ? `, ${s.dropped} iterations dropped (no free VU: raise load.k6.vus)` : ''}` : 'over' });
  }
  const windowS = Math.max(1, (until - from) / 1000);
  const effects = h.effects().filter((e) => e.dispatchedAt >= from && e.dispatchedAt <= until).length;
  const inWindow = seconds.filter((s) => s.at + 1000 > from && s.at <= until);
  const details = {
    script: start.script,
    profile: start.profile,
    windowMs: { from, until, allStopped },
    tolerance: TOLERANCE,
    seconds: judged,
    off,
    requestsPerS: mean(judged.map((j) => j.requestsPerS)),
    errorsPerS: mean(inWindow.map((s) => s.errorsPerS)),
    errors: inWindow.reduce((n, s) => n + s.errors, 0),
    botEffectsPerS: Math.round((effects / windowS) * 10) / 10,
    thresholdsCrossed: end?.thresholdsCrossed ?? [],
    end: end ?? null,
  };
  const rel = (at: number) => `${((at - engagedAt) / 1000).toFixed(0)} s`;
  const crossed = end?.thresholdsCrossed ?? [];
  const problems: string[] = [];
  if (off.length) problems.push(`${off.length} of ${total} seconds around the flip were not within ${TOLERANCE * 100} % of the target rate (${list(off.map((o) => `${rel(o.at)}: ${o.requestsPerS}/s of ${o.targetPerS}/s, ${o.why}`), 4)}; seconds from engagedAt)`);
  if (crossed.length) problems.push(`k6 thresholds crossed: ${crossed.join(', ')}`);
  if (problems.length) return { checker: name, valid: false, summary: `${start.script}: ${problems.join('; ')}; the bots' own effects ${details.botEffectsPerS}/s`, details };
  if (!end) return unknown(name, 'the load held so far, but k6\'s end was not recorded, so whether its thresholds held is unknown', details);
  if (!allStopped) return unknown(name, `the load held until the run stopped watching, but not every in-scope bot was Stopped by then, so the window (5 s before the flip until every bot Stopped) never closed`, details);
  if (end?.summaryMissing && end.stoppedBy === 'harness') return unknown(name, `the load held, but k6 wrote no summary, so whether its thresholds held is unknown${why}`, details);
  return {
    checker: name,
    valid: true,
    summary: `${start.script}: ${judged.length} seconds from ${LEAD_MS / 1000} s before the flip until every in-scope bot Stopped, each within ${TOLERANCE * 100} % of the target (mean ${details.requestsPerS} requests/s, ${details.errors} errors); the bots' own effects ${details.botEffectsPerS}/s`,
    details,
  };
};

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);
