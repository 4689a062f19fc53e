// fail-closed-within (issue 11 item 4): when the flag store goes silent or away, every bot in the
// fault's reach that was Running at the injection leaves Running (Draining or Stopped) within the
// staleness bound, measured from the fault's injection — no kill lever involved. The bots' promise
// (seed 004 "fail closed", docs/contracts.md §6) is 2 × pollIntervalS + 1 s after their last good
// read; that read came at or before the injection, so from the injection the bound holds with
// DETECTION_GRACE_MS for the bots' health check (every ≤ 250 ms) and the phase write.
// Opt-in: runs only when the scenario's expect names it (index.ts OPT_IN). The fault is
// `expect.fail-closed-within.fault` (an id), else the first injected flag-store fault.
import type { Checker } from './types.ts';
import type { FaultInjectedOp } from '../history/index.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs, spread } from './stats.ts';

/** The seed's pollIntervalS when the run does not say otherwise. */
export const SEED_POLL_INTERVAL_S = 5;
export const DETECTION_GRACE_MS = 500;
/** Faults that take the flag store away from the bots. */
export const FLAG_STORE_FAULTS = ['flag-store-silent', 'redis-down'];

/** The staleness bound for a poll interval: 2 × pollIntervalS + 1 s. */
export const stalenessBoundMs = (pollIntervalS: number) => 2 * pollIntervalS * 1000 + 1000;

export const failClosedWithin: Checker = (h, e) => {
  const name = 'fail-closed-within';
  const want = e['fail-closed-within']?.fault;
  const injected = h.ofType('fault-injected').filter((f) => f.ok !== false);
  const fault: FaultInjectedOp | undefined = want ? injected.find((f) => f.id === want) : injected.find((f) => FLAG_STORE_FAULTS.includes(f.kind));
  if (!fault) return unknown(name, want ? `no fault '${want}' was injected in this run` : `no flag-store fault (${FLAG_STORE_FAULTS.join(', ')}) was injected in this run, so failing closed was not exercised`);
  const roster = h.roster();
  if (!roster.length) return unknown(name, 'no roster was recorded, so the bots in the fault\'s reach are unknown');
  if (!h.ofType('phase').length) return unknown(name, 'no bot phase was observed at all; the phase stream observer saw nothing');
  const pollIntervalS = Number(h.runStart()?.config?.pollIntervalS ?? SEED_POLL_INTERVAL_S);
  const budgetMs = e['fail-closed-within']?.budgetS !== undefined ? e['fail-closed-within'].budgetS * 1000 : stalenessBoundMs(pollIntervalS) + DETECTION_GRACE_MS;
  const host = typeof fault.params?.host === 'string' ? fault.params.host : null;
  const reach = roster.filter((b) => host === null || b.host === host);
  const from = fault.at;
  const healed = h.ofType('fault-healed').find((f) => f.id === fault.id && f.at >= from);
  const until = Math.min(healed ? healed.at : Number.POSITIVE_INFINITY, h.observedUntil());
  const perBot: Record<string, number | null> = {};
  const notRunning: Array<{ slug: string; phase: string | null }> = [];
  const late: Array<{ slug: string; ms: number }> = [];
  const missed: Array<{ slug: string; lastPhase: string | null }> = [];
  const pending: string[] = [];
  const values: number[] = [];
  for (const b of reach) {
    const at0 = h.phaseAt(b.slug, from);
    if (at0 !== 'Running') {
      notRunning.push({ slug: b.slug, phase: at0 });
      continue;
    }
    const out = h.phasesOf(b.slug).find((p) => p.at > from && p.at <= until && p.phase !== 'Running');
    if (!out) {
      perBot[b.slug] = null;
      if (until >= from + budgetMs) missed.push({ slug: b.slug, lastPhase: h.phaseAt(b.slug, until) });
      else pending.push(b.slug);
      continue;
    }
    const ms = out.at - from;
    perBot[b.slug] = ms;
    values.push(ms);
    if (ms > budgetMs) late.push({ slug: b.slug, ms });
  }
  const stats = spread(values);
  const details = { fault: { id: fault.id, kind: fault.kind, params: fault.params, injectedAt: from, healedAt: healed?.at ?? null }, pollIntervalS, budgetMs, inReach: reach.length, perBot, stats, late, missed, pending, notRunningAtInjection: notRunning };
  const what = `${fault.kind}${fault.params?.form ? ` (${String(fault.params.form)})` : ''}`;
  if (late.length || missed.length) {
    const parts = [];
    if (missed.length) parts.push(`${missed.length} kept Running (${list(missed.map((m) => `${m.slug} [last ${m.lastPhase ?? 'unseen'}]`))})`);
    if (late.length) parts.push(`${late.length} failed closed late (${list(late.map((l) => `${l.slug} ${fmtMs(l.ms)}`))})`);
    return { checker: name, valid: false, summary: `after ${what}, of ${reach.length - notRunning.length} bots Running at the injection, ${parts.join('; ')}; bound ${fmtMs(budgetMs)}`, details };
  }
  if (pending.length) return unknown(name, `the fault was healed or the run stopped watching ${fmtMs(until - from)} after the injection, before the ${fmtMs(budgetMs)} bound ran out, and ${pending.length} bot(s) had not failed closed yet (${list(pending)}); heal later`, details);
  if (!values.length) return unknown(name, `no bot in the fault's reach was Running at the injection (${list(notRunning.map((n) => `${n.slug} [${n.phase ?? 'unseen'}]`))}), so failing closed was not observed`, details);
  const aside = notRunning.length ? `; ${notRunning.length} not Running at the injection, not judged` : '';
  return { checker: name, valid: true, summary: `all ${values.length} bots Running at the ${what} injection failed closed within ${fmtMs(budgetMs)} (p50 ${fmtMs(stats.p50)}, max ${fmtMs(stats.max)})${aside}`, details };
};
