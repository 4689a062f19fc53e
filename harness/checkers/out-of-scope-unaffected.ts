// out-of-scope-unaffected (issue 11 item 2): a kill stops its scope and nothing else. Every
// out-of-scope bot that was Running when the lever was pulled stays Running (no Draining or
// Stopped transition) until the release is issued (or the run stops watching), and keeps landing
// effects in the ledger meanwhile. "Keeps landing" is judged against the bot's own pace before the
// lever (its effects since it was last seen entering Running, up to issuedAt): a bot that was
// expected to land at least MIN_EXPECTED effects in the halt window and landed fewer than
// MIN_SHARE of them was starved (e.g. a gateway that rejects it, or a fleet that took a tenant kill
// for a platform one). A bot expected to land fewer is reported as too few to judge by its effects;
// its phases are still judged. A bot that seems starved but whose journal lists intents of the
// window as landed that the ledger had not shown by its last read (e.g. an agent's long tool call
// that lands seconds later) is not judged by its effects either: the evidence arrived too late.
// No bot whose effects could be judged → unknown.
import type { Checker } from './types.ts';
import type { EffectOp } from '../history/index.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs } from './stats.ts';

/** Fewer expected effects than this in the halt window: the window is too short to judge the bot by its effects. */
export const MIN_EXPECTED = 2;
/** Landing fewer than this share of its expected effects is a starved bot. */
export const MIN_SHARE = 0.25;

interface Judged {
  slug: string;
  baseline: number;
  baselineMs: number;
  expected: number;
  landed: number;
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
  const kept: Judged[] = [];
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
    const baseline = mine.filter((x) => x.receivedAt >= runningSince && x.receivedAt < from).length;
    const baselineMs = from - runningSince;
    const expected = baselineMs > 0 ? (baseline * windowMs) / baselineMs : 0;
    const landed = mine.filter((x) => x.receivedAt >= from && x.receivedAt < until).length;
    const j = { slug: b.slug, baseline, baselineMs, expected: Math.round(expected * 10) / 10, landed };
    if (expected < MIN_EXPECTED) tooFew.push(j);
    else if (landed < expected * MIN_SHARE) {
      const unseen = journal.filter((x) => x.bot === b.slug && x.intentAt !== null && x.intentAt >= from && x.intentAt < until && x.outcome === 'landed' && !seen.has(x.key)).length;
      if (unseen) landedUnseen.push({ ...j, unseen });
      else starved.push(j);
    }
    else kept.push(j);
  }
  const details = {
    outOfScope: out.length,
    windowFrom: from,
    windowUntil: until,
    windowMs,
    minExpected: MIN_EXPECTED,
    minShare: MIN_SHARE,
    stopped,
    starved,
    tooFewToJudge: tooFew,
    landedAfterLastLedgerRead: landedUnseen,
    kept,
    notRunningAtLever: notRunning,
  };
  const running = out.length - notRunning.length;
  const asides: string[] = [];
  if (tooFew.length) asides.push(`${tooFew.length} expected fewer than ${MIN_EXPECTED} effects in the ${fmtMs(windowMs)} window, not judged by effects (${list(tooFew.map((j) => `${j.slug} ~${j.expected}`))})`);
  if (landedUnseen.length) asides.push(`${landedUnseen.length} landed effects of the window only after the last ledger read (journal), not judged by effects (${list(landedUnseen.map((j) => `${j.slug} ${j.landed} seen, ${j.unseen} late`))})`);
  if (notRunning.length) asides.push(`${notRunning.length} not Running at the lever, not judged (${list(notRunning.map((n) => `${n.slug} [${n.phase ?? 'unseen'}]`))})`);
  const aside = asides.length ? `; ${asides.join('; ')}` : '';
  if (stopped.length || starved.length) {
    const parts = [];
    if (stopped.length) parts.push(`${stopped.length} left Running before the release (${list(stopped.map((s) => `${s.slug} → ${s.phase} after ${fmtMs(s.afterIssuedMs)}`))})`);
    if (starved.length) parts.push(`${starved.length} stopped landing effects (${list(starved.map((j) => `${j.slug} ${j.landed} of ~${j.expected} expected`))})`);
    return { checker: name, valid: false, summary: `the kill (${kill.scope}:${kill.target}) reached beyond its scope: of ${out.length} out-of-scope bots, ${parts.join('; ')}${aside}`, details };
  }
  if (!running) return unknown(name, `no out-of-scope bot was Running when the lever was pulled, so none could be seen to keep trading${aside}`, details);
  if (!kept.length) return unknown(name, `no out-of-scope bot could be judged by its effects in the ${fmtMs(windowMs)} window (too few expected, or landed after the last ledger read); their phases stayed Running${aside}`, details);
  return { checker: name, valid: true, summary: `all ${running} out-of-scope bots Running at the lever stayed Running until the release; ${kept.length} kept landing effects at their pace${aside}`, details };
};
