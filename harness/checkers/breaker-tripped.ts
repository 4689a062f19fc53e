// breaker-tripped (seed 003's per-strategy circuit breakers, opt-in: expect names it). From the history
// only: the first successful `market-data-gap` fault (breaker market-data) or `price-shock`
// (volatility) at F, on its `params.assets` (absent: every asset). Every roster bot that is not an
// agent and trades one of them must
// - journal its breaker `tripped` at T in [F, F + budget];
// - open nothing while tripped: no `order` effect dispatched after T until its own `reset` of that
//   breaker, or the window's end W (the fault's heal, a kill lever issued after F, else the end of
//   observation) — it knew at T;
// - be flat at min(T + budget, W, its reset): the venue's book rebuilt from the ledger (venue-book.ts,
//   effects received by then) holds no net position and no resting order of it.
// When the fault names its assets, the bots on the other assets must not be tripped by that breaker
// at min(F + budget, W) (a breaker wider than its symbol; trips of theirs that reset by then are listed).
// A breaker `error` (it could not evaluate; seed 003 logs and trades on) of any bot during the case
// fails: a breaker that cannot evaluate protects nothing. Trips before F are listed, not judged; a bot
// still tripped at F counts from that trip, and fails if that trip is older than the budget (stuck). Unknown: no such fault, no affected bot, the journals not
// read, no effect recorded, effects without the venue's book fields (flatness), and a window that
// ended before the budget ran out with the bot not yet tripped or not yet flat (heal later).
import type { BreakerOp, FaultInjectedOp, History } from '../history/index.ts';
import type { Checker, Expectations, Verdict } from './types.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs, spread } from './stats.ts';
import { BOOK_KINDS, BotBook, type BookEffect } from './venue-book.ts';
import { BREAKER_FAULTS } from './breaker-faults.ts';
import { judgeLossBreaker } from './loss-breaker-drill.ts';

const name = 'breaker-tripped' as const;
export const DEFAULT_BREAKER_BUDGET_S = 2;
/** The fault that drills each breaker. */
export const BREAKER_FAULT = BREAKER_FAULTS;
const MAX_LISTED = 20;

export interface BotBreaker {
  asset: string;
  tripAt: number | null;
  /** From the fault's injection to the trip; null when the bot was already tripped at the injection. */
  latencyMs: number | null;
  alreadyTripped: boolean;
  resetAt: number | null;
  openedWhileTripped: string[];
  judgedAt: number | null;
  netAtJudge: number | null;
  resting: string[];
  /** Why the bot failed; `pending`: why it could not be judged (missing evidence, a window cut short). */
  problem: string | null;
  pending: string | null;
}

interface Window {
  fault: FaultInjectedOp;
  from: number;
  end: number;
  budgetMs: number;
}

export const breakerTripped: Checker = (h, e) => {
  const breaker = e['breaker-tripped']?.breaker ?? 'market-data';
  const kind = BREAKER_FAULT[breaker];
  const budgetMs = budgetOf(e);
  const caseStart = h.runStart()?.t ?? Number.NEGATIVE_INFINITY;
  const errors = h.breakers().filter((b) => b.event === 'error' && b.at >= caseStart);
  const errorProblem = errors.length ? `${errors.length} breaker evaluation(s) failed: ${list(errors.map((b) => `${b.bot} ${b.breaker} (${b.detail})`), 3)}; a breaker that cannot evaluate protects nothing (seed 003 logs and trades on)` : null;
  const errorDetails = errors.slice(0, MAX_LISTED).map((b) => ({ bot: b.bot, breaker: b.breaker, at: b.at, detail: b.detail }));
  // A violation seen stands: an error fails even when the rest cannot be judged.
  const cannot = (why: string, details: Record<string, unknown> = {}): Verdict =>
    errorProblem ? { checker: name, valid: false as const, summary: `${errorProblem}; besides, ${why}`, details: { ...details, errors: errorDetails } } : unknown(name, why, details);

  if (!h.journalRead()) {
    const failed = h.observerFailures().find((f) => f.source === 'journal');
    return cannot(`the journals were not read after the run${failed ? ` (${failed.error})` : ' (the fleet never came up, or the run was cut short)'}, so no breaker record was seen`);
  }
  const fault = h.ofType('fault-injected').find((f) => f.kind === kind && f.ok !== false);
  if (!fault) return cannot(`no ${kind} was injected, so no ${breaker} breaker was drilled`);
  const assets = Array.isArray(fault.params?.assets) ? (fault.params.assets as unknown[]).map(String) : null;
  if (!h.roster().length) return cannot("no roster was recorded, so the bots trading the fault's assets are unknown");
  if (breaker === 'consecutive-losses') {
    const x = e['breaker-tripped']!;
    const all = [...new Map((h.effects() as BookEffect[]).map((y) => [y.seq, y])).values()].sort((a, b) => a.seq - b.seq);
    if (!all.length) return cannot('the ledger recorded no effect at all, so no fill and no P&L is known');
    if (x.losses === undefined) return cannot("expect.breaker-tripped.losses is not set, so the number of losing closes the operator configured is unknown");
    const lossBreakers = h.breakers().filter((b) => b.breaker === breaker && b.at >= caseStart);
    return judgeLossBreaker(h, { losses: x.losses, cooldownMs: (x.cooldownS ?? 10) * 1000, budgetMs, fault, assets, breakers: lossBreakers, effects: all, errorProblem, cannot });
  }
  const affected = h.roster().filter((b) => b.class !== 'agent' && (assets === null || assets.includes(b.asset)));
  if (!affected.length) return cannot(`no bot but agents trades ${assets ? assets.join(', ') : 'any asset'}, so no ${breaker} breaker was in the fault's reach`);
  const effects = [...new Map((h.effects() as BookEffect[]).map((x) => [x.seq, x])).values()].sort((a, b) => a.seq - b.seq);
  if (!effects.length) return cannot('the ledger recorded no effect at all, so what the bots did while tripped is unknown');

  const w = windowOf(h, fault, budgetMs);
  const breakers = h.breakers().filter((b) => b.breaker === breaker && b.at >= caseStart);
  const perBot: Record<string, BotBreaker> = {};
  for (const b of affected) perBot[b.slug] = judgeBot(b.asset, breakers.filter((x) => x.bot === b.slug), effects.filter((x) => x.bot === b.slug), w);
  const others = assets === null ? [] : h.roster().filter((b) => b.class !== 'agent' && !assets.includes(b.asset));
  const spared = judgeSpared(others, breakers, w);
  const trippedBeforeFault = breakers.filter((b) => b.event === 'tripped' && b.at < w.from).slice(0, MAX_LISTED).map((b) => ({ bot: b.bot, at: b.at, beforeFaultMs: w.from - b.at }));
  const latencies = Object.values(perBot).flatMap((p) => (p.latencyMs !== null ? [p.latencyMs] : []));
  const stats = spread(latencies);
  const details = {
    breaker, budgetMs, errors: errorDetails,
    fault: { id: fault.id, kind, assets: assets ?? '*', injectedAt: w.from },
    windowEnd: w.end, affected: affected.length, stats, trippedBeforeFault,
    otherAssets: { bots: others.length, judgedAt: spared.at, tripped: spared.tripped.slice(0, MAX_LISTED), tripsInWindow: spared.trips.slice(0, MAX_LISTED) },
    perBot: Object.fromEntries(Object.entries(perBot).slice(0, 200)),
  };
  const bots = Object.entries(perBot);
  const failed = bots.filter(([, p]) => p.problem !== null);
  const pending = bots.filter(([, p]) => p.problem === null && p.pending !== null);
  const latency = `trip latency p50 ${fmtMs(stats.p50)}, max ${fmtMs(stats.max)}`;
  const problems = [
    ...(errorProblem ? [errorProblem] : []),
    ...(failed.length ? [`${failed.length} of ${affected.length} bot(s) trading ${assets ? assets.join(', ') : 'every asset'} failed the ${breaker} breaker drill: ${list(failed.map(([s, p]) => `${s} ${p.problem}`), 5)}`] : []),
    ...(spared.tripped.length ? [`${spared.tripped.length} of ${others.length} bot(s) on other assets had their ${breaker} breaker tripped ${fmtMs((spared.at ?? w.from) - w.from)} into the ${kind} of ${assets!.join(', ')} though their own asset was not in it (a breaker wider than its symbol: seed 003 goes flat for that symbol): ${list(spared.tripped.map((t) => `${t.bot} (${t.asset})`), 5)}`] : []),
  ];
  if (problems.length) return { checker: name, valid: false, summary: `${problems.join('; ')} (${latency})`, details };
  if (pending.length) return unknown(name, `${pending.length} of ${affected.length} bot(s) could not be judged: ${list(pending.map(([s, p]) => `${s} ${p.pending}`), 5)}`, details);
  const sparedNote = others.length ? `; none of the ${others.length} bot(s) on other assets was tripped ${fmtMs((spared.at ?? w.from) - w.from)} into it${spared.trips.length ? ` (${spared.trips.length} trip(s) of theirs in the window that reset by then listed, not judged)` : ''}` : '';
  const already = bots.filter(([, p]) => p.alreadyTripped).length;
  return {
    checker: name,
    valid: true,
    summary: `all ${affected.length} bot(s) trading ${assets ? assets.join(', ') : 'every asset'} tripped their ${breaker} breaker within ${fmtMs(budgetMs)} of the ${kind} (${latency}${already ? `; ${already} already tripped at the injection` : ''}), opened nothing while tripped and were flat within ${fmtMs(budgetMs)} of the trip${sparedNote}${trippedBeforeFault.length ? `; ${trippedBeforeFault.length} trip(s) before the fault listed, not judged` : ''}`,
    details,
  };
};

const budgetOf = (e: Expectations) => (e['breaker-tripped']?.budgetS ?? DEFAULT_BREAKER_BUDGET_S) * 1000;

/** From the injection to the earliest of its heal, a kill lever issued after it, the end of observation. */
function windowOf(h: History, fault: FaultInjectedOp, budgetMs: number): Window {
  const from = fault.at;
  const healed = h.ofType('fault-healed').find((f) => f.id === fault.id && f.ok !== false && f.at >= from);
  const kill = h.ofType('lever-issued').find((l) => l.lever === 'kill' && l.at >= from);
  return { fault, from, end: Math.min(healed?.at ?? Infinity, kill?.at ?? Infinity, h.observedUntil()), budgetMs };
}

/**
 * The bots on assets the fault left alone: at the moment every affected bot must be tripped (the
 * budget after the injection, or the window's end if sooner), none may be. Their trips in the window
 * that reset by then are listed (a momentary lag of the bot's own read), not judged.
 */
function judgeSpared(others: Array<{ slug: string; asset: string }>, breakers: BreakerOp[], w: Window): { at: number | null; tripped: Array<{ bot: string; asset: string; since: number }>; trips: Array<{ bot: string; at: number }> } {
  if (!others.length) return { at: null, tripped: [], trips: [] };
  const at = Math.min(w.from + w.budgetMs, w.end);
  const tripped: Array<{ bot: string; asset: string; since: number }> = [];
  const trips: Array<{ bot: string; at: number }> = [];
  for (const b of others) {
    const mine = breakers.filter((x) => x.bot === b.slug && x.event !== 'error');
    const last = mine.filter((x) => x.at <= at).at(-1);
    if (last?.event === 'tripped') tripped.push({ bot: b.slug, asset: b.asset, since: last.at });
    else for (const x of mine) if (x.event === 'tripped' && x.at >= w.from && x.at <= w.end) trips.push({ bot: b.slug, at: x.at });
  }
  return { at, tripped, trips };
}

function judgeBot(asset: string, mine: BreakerOp[], effects: BookEffect[], w: Window): BotBreaker {
  const r: BotBreaker = { asset, tripAt: null, latencyMs: null, alreadyTripped: false, resetAt: null, openedWhileTripped: [], judgedAt: null, netAtJudge: null, resting: [], problem: null, pending: null };
  const deadline = w.from + w.budgetMs;
  const before = mine.filter((b) => b.at < w.from && b.event !== 'error').at(-1);
  const trip = before?.event === 'tripped' ? before : mine.find((b) => b.event === 'tripped' && b.at >= w.from && b.at <= Math.min(deadline, w.end));
  if (!trip) {
    const late = mine.find((b) => b.event === 'tripped' && b.at > w.from);
    if (w.end < deadline && (!late || late.at <= deadline)) r.pending = `had not tripped when the window ended ${fmtMs(w.end - w.from)} after the injection, before the ${fmtMs(w.budgetMs)} budget ran out (heal later)`;
    else if (!late) r.problem = 'never tripped';
    else {
      r.tripAt = late.at;
      r.latencyMs = late.at - w.from;
      r.problem = `tripped only after ${fmtMs(r.latencyMs)}`;
    }
    return r;
  }
  const T = trip.at;
  r.tripAt = T;
  r.alreadyTripped = trip === before;
  r.latencyMs = r.alreadyTripped ? null : T - w.from;
  const reset = mine.find((b) => b.event === 'reset' && b.at > T);
  r.resetAt = reset?.at ?? null;
  const until = Math.min(reset?.at ?? Infinity, w.end);
  r.openedWhileTripped = effects.filter((x) => x.kind === 'order' && x.dispatchedAt > T && x.dispatchedAt < until).map((x) => x.key);
  const problems: string[] = [];
  // Tripped since more than the budget before the fault and never reset: a breaker that trips on calm
  // data (or never resets) would otherwise pass every drill while its bot never trades.
  if (r.alreadyTripped && w.from - T > w.budgetMs) problems.push(`was tripped since ${fmtMs(w.from - T)} before the fault and never reset (tripped on calm data, or stuck)`);
  if (r.openedWhileTripped.length) problems.push(`opened ${r.openedWhileTripped.length} order(s) while tripped (${list(r.openedWhileTripped, 3)})`);
  const judgeAt = Math.min(T + w.budgetMs, until);
  r.judgedAt = judgeAt;
  const seen = effects.filter((x) => x.receivedAt <= judgeAt);
  const silent = seen.filter((x) => BOOK_KINDS.has(x.kind) && x.book === undefined);
  if (silent.length) r.pending = `its effects carry no 'book' field (e.g. seq ${silent[0].seq}: the venue does not say what it did with them, docs/contracts.md §5), so whether it went flat is unknown`;
  else {
    const book = BotBook.of(seen);
    r.netAtJudge = book.net;
    r.resting = [...book.open.keys()].slice(0, MAX_LISTED);
    if (book.net !== 0 || book.open.size) {
      const what = `net ${book.net > 0 ? '+' : ''}${book.net}${book.open.size ? `, ${book.open.size} order(s) resting (${list(r.resting, 3)})` : ''}`;
      // Judged before the budget ran out (the window ended or the breaker reset): not flat yet is not a failure.
      if (judgeAt < T + w.budgetMs) r.pending = `not flat yet (${what}) when ${reset && reset.at <= w.end ? 'its breaker reset' : 'the window ended'} ${fmtMs(judgeAt - T)} after its trip, before the ${fmtMs(w.budgetMs)} budget (heal later)`;
      else problems.push(`not flat ${fmtMs(w.budgetMs)} after its trip (${what})`);
    }
  }
  if (problems.length) r.problem = problems.join(', ');
  return r;
}
