// out-of-scope-unaffected (issue 11 item 2): a kill stops its scope and nothing else. Every
// out-of-scope bot that was Running when the lever was pulled stays Running (no Draining or
// Stopped transition) until the release is issued (or the run stops watching), and keeps landing
// effects in the ledger meanwhile. "Keeps landing" is judged against the bot's own pace before the
// lever (its effects since it was last seen entering Running, up to issuedAt), by the exact test of
// two Poisson rates (conditioned on the bot's total count n = before + in the window, the window's
// count is Binomial(n, windowMs / (baselineMs + windowMs)) if the pace did not change): a bot is
// starved (e.g. a gateway that rejects it, or a fleet that took a tenant kill for a platform one)
// when it landed fewer than MIN_SHARE of the effects its pace predicts AND a count that low has a
// probability below ALPHA at its unchanged pace. A few effects in a short window prove nothing: a
// bot is judged by its effects only if landing none at all would be that improbable; otherwise it
// is reported as too few to judge by its effects (its phases are still judged), and the bots too
// slow to judge one by one are judged together over one baseline interval (a boundary starving a
// whole class of slow bots shows in their sum; one starved bot among many does not). (Seeds 3, 7 and 10
// of the sweep at c217f36: an agent bot expected ~4.2 in a 3 s window landed 1 — an 8 % chance at
// its own pace — and a share-only rule called it starved.) A bot that seems starved but whose
// journal lists intents of the window as landed that the ledger had not shown by its last read
// (e.g. an agent's long tool call that lands seconds later) is not judged by its effects either:
// the evidence arrived too late. No bot, nor the pool, whose effects could be judged → unknown.
import type { Checker } from './types.ts';
import type { EffectOp } from '../history/index.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs } from './stats.ts';
import { openCallHint } from './open-call-hint.ts';
import { pace, poolPace, type PoolMember } from './pace-test.ts';

/** A window count this improbable at the bot's own pace (one-sided) is not chance: ~6,000 bots are judged in a 20-seed sweep, so 1e-6 keeps a false alarm far below one per sweep. */
export const ALPHA = 1e-6;
/** Landing fewer than this share of its expected effects (and improbably so) is a starved bot. */
export const MIN_SHARE = 0.25;

interface Judged {
  slug: string;
  baseline: number;
  baselineMs: number;
  expected: number;
  landed: number;
  /** P(a window count ≤ landed) at the bot's own pace; 1 when not below MIN_SHARE of expected (not tested). */
  pValue: number;
}

export const outOfScopeUnaffected: Checker = (h) => {
  const name = 'out-of-scope-unaffected';
  const kill = h.lever('kill');
  if (!kill) return unknown(name, 'no kill lever was issued in this run, so there is nothing to compare against');
  const roster = h.roster();
  if (!roster.length) return unknown(name, 'no roster was recorded, so the bots out of scope are unknown');
  const inScope = new Set(h.inScope().map((b) => b.slug));
  const out = roster.filter((b) => !inScope.has(b.slug));
  if (!out.length) return { checker: name, valid: true, summary: `the kill (${kill.scope}:${kill.target}${kill.level ? `, level ${kill.level}` : ''}) holds every bot of the roster: none is out of scope, nothing to judge`, details: { outOfScope: 0 } };
  if (!h.ofType('phase').length) return unknown(name, 'no bot phase was observed at all; the phase stream observer saw nothing');
  const effects = h.effects();
  if (!effects.length) return unknown(name, 'the ledger recorded no effect at all: the load never ran or the ledger observer failed, so whether out-of-scope bots kept trading is unknown');
  const from = kill.issuedAt;
  const release = h.lever('release');
  const until = Math.min(release ? release.issuedAt : Number.POSITIVE_INFINITY, h.observedUntil());
  if (!(until > from)) return unknown(name, 'the run stopped watching before the kill was issued, so there is no halt window to judge');
  const windowMs = until - from;
  const byBot = new Map<string, EffectOp[]>();
  for (const x of effects) (byBot.get(x.bot) ?? byBot.set(x.bot, []).get(x.bot)!).push(x);

  const notRunning: Array<{ slug: string; phase: string | null }> = [];
  const stopped: Array<{ slug: string; phase: string; afterIssuedMs: number; reason: string | null }> = [];
  const starved: Judged[] = [];
  const landedUnseen: Array<Judged & { unseen: number }> = [];
  const seen = new Set(effects.map((x) => x.key));
  const journal = h.journal();
  const tooFew: Judged[] = [];
  const poolable: PoolMember[] = [];
  const kept: Judged[] = [];
  const count = (xs: EffectOp[], a: number, b: number) => xs.filter((x) => x.receivedAt >= a && x.receivedAt < b).length;
  const unseenOf = (slug: string) => journal.filter((x) => x.bot === slug && x.intentAt !== null && x.intentAt >= from && x.intentAt < until && x.outcome === 'landed' && !seen.has(x.key)).length;
  for (const b of out) {
    const atLever = h.phaseAt(b.slug, from);
    if (atLever !== 'Running') {
      notRunning.push({ slug: b.slug, phase: atLever });
      continue;
    }
    const phases = h.phasesOf(b.slug);
    const left = phases.find((p) => p.at > from && p.at <= until && p.phase !== 'Running');
    if (left) stopped.push({ slug: b.slug, phase: left.phase, afterIssuedMs: left.at - from, reason: left.reason });
    const runningSince = phases.filter((p) => p.at <= from && p.phase === 'Running').at(-1)!.at;
    const mine = byBot.get(b.slug) ?? [];
    const counts = { baseline: count(mine, runningSince, from), baselineMs: from - runningSince, landed: count(mine, from, until), windowMs };
    const v = pace(counts, ALPHA, MIN_SHARE);
    const j = { slug: b.slug, baseline: counts.baseline, baselineMs: counts.baselineMs, expected: v.expected, landed: counts.landed, pValue: v.pValue };
    if (!v.judgeable) {
      tooFew.push(j);
      // A bot whose window effects may still be on their way to the ledger would drag the pool down.
      if (!unseenOf(b.slug)) poolable.push({ slug: b.slug, runningSince, receivedAt: mine.map((x) => x.receivedAt) });
    }
    else if (v.starved) {
      const unseen = unseenOf(b.slug);
      if (unseen) landedUnseen.push({ ...j, unseen });
      else starved.push(j);
    }
    else kept.push(j);
  }
  // Bots too slow to judge one by one are judged together over one baseline interval (pace-test.ts):
  // a boundary that rejects a whole class of slow bots shows in their sum. One starved bot among many does not.
  const pool = poolPace(poolable, from, until, ALPHA, MIN_SHARE);
  const details = {
    outOfScope: out.length,
    windowFrom: from,
    windowUntil: until,
    windowMs,
    alpha: ALPHA,
    minShare: MIN_SHARE,
    stopped,
    starved,
    tooFewToJudge: tooFew,
    pool,
    landedAfterLastLedgerRead: landedUnseen,
    kept,
    notRunningAtLever: notRunning,
  };
  const running = out.length - notRunning.length;
  const asides: string[] = [];
  const pooled = pool?.judgeable ? `, judged together: ${pool.landed} of ~${pool.expected} expected${pool.leftOut.length ? `; ${list(pool.leftOut)} Running only since later, left out` : ''}` : pool ? ', not even together' : '';
  if (tooFew.length) asides.push(`${tooFew.length} too few effects for the ${fmtMs(windowMs)} window to tell one by one (landing none would not be below p ${ALPHA.toExponential()})${pooled} (${list(tooFew.map((j) => `${j.slug} ~${j.expected}`))})`);
  if (landedUnseen.length) asides.push(`${landedUnseen.length} landed effects of the window only after the last ledger read (journal), not judged by effects (${list(landedUnseen.map((j) => `${j.slug} ${j.landed} seen, ${j.unseen} late`))})`);
  if (notRunning.length) asides.push(`${notRunning.length} not Running at the lever, not judged (${list(notRunning.map((n) => `${n.slug} [${n.phase ?? 'unseen'}]`))})`);
  const aside = asides.length ? `; ${asides.join('; ')}` : '';
  if (stopped.length || starved.length || pool?.starved) {
    const parts = [];
    if (stopped.length) parts.push(`${stopped.length} left Running before the release (${list(stopped.map((s) => `${s.slug} → ${s.phase} after ${fmtMs(s.afterIssuedMs)}`))})`);
    if (pool?.starved) parts.push(`the ${pool.bots.length} bots too slow to judge one by one together stopped landing effects (${pool.landed} of ~${pool.expected} expected, p ${pool.pValue}: ${list(pool.bots)})`);
    const runOf = new Map(out.map((b) => [b.slug, b.run]));
    const hint = (slug: string) => {
      const x = openCallHint(h, runOf.get(slug), from, until);
      return x ? ` [${x}]` : '';
    };
    if (starved.length) parts.push(`${starved.length} stopped landing effects (${list(starved.map((j) => `${j.slug} ${j.landed} of ~${j.expected} expected, p ${j.pValue}${hint(j.slug)}`))})`);
    return { checker: name, valid: false, summary: `the kill (${kill.scope}:${kill.target}) reached beyond its scope: of ${out.length} out-of-scope bots, ${parts.join('; ')}${aside}`, details };
  }
  if (!running) return unknown(name, `no out-of-scope bot was Running when the lever was pulled, so none could be seen to keep trading${aside}`, details);
  if (!kept.length && !pool?.judgeable) return unknown(name, `no out-of-scope bot could be judged by its effects in the ${fmtMs(windowMs)} window (too few expected, or landed after the last ledger read); their phases stayed Running${aside}`, details);
  return { checker: name, valid: true, summary: `all ${running} out-of-scope bots Running at the lever stayed Running until the release; ${kept.length} kept landing effects at their pace${pool?.judgeable ? `, and the ${pool.bots.length} too slow to judge one by one together` : ''}${aside}`, details };
};
