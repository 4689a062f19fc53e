// mode-work-done (DESIGN.md §3 definitions): the mode's work, judged from the venue's records, never
// from what the bots say. In `cancel` and `flatten`, no in-scope order rests at the venue once its bot
// is Stopped (so every order resting at engagedAt is gone by then); in `flatten`, every in-scope
// position is also flat at Stopped. `freeze` sends nothing (post-flip-effects judges that): its
// orders and positions are reported as they were, and the verdict is true once the evidence is there.
//
// The book is rebuilt from the history's ledger (venue-book.ts). "At Stopped" = every effect the bot
// dispatched up to its own Stopped transition (both stamped by the bot's process, one clock; a drain
// waits for its replies, so they landed). "At engagedAt" = every effect the venue received by then.
// The venue's own book, read once every in-scope bot was Stopped (`venue-book` op), is the cross-check:
// an in-scope order it reports resting (or, in flatten, a position it reports open) fails whatever the
// ledger says; any other disagreement with the ledger is unknown, with the reason.
import type { VenueBookOp } from '../history/index.ts';
import type { Checker, Verdict } from './types.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { BOOK_KINDS, BotBook, type BookEffect } from './venue-book.ts';

const name = 'mode-work-done';
const MAX_LISTED = 20;

interface BotWork {
  class: string;
  stoppedAt: number | null;
  /** Orders resting when the lever was pulled (bots often cancel before engagedAt: they hear the kill first). */
  restingAtIssued: number;
  restingAtEngaged: number;
  netAtEngaged: number;
  /** Orders resting at Stopped (keys, first 20) and how many. */
  restingAtStopped: string[];
  restingAtStoppedCount: number;
  /** Of those, the ones already resting at engagedAt. */
  remainedFromEngaged: string[];
  netAtStopped: number | null;
  problem: string | null;
}

/** Why the history's ledger cannot be replayed into a book, or null. */
function ledgerProblem(effects: readonly BookEffect[], errors: string[]): string | null {
  const lost = errors.filter((e) => /\/ledger/.test(e));
  if (lost.length) return `the ledger observer failed (${lost[0]}), so the venue's book cannot be rebuilt`;
  if (!effects.length) return 'the ledger recorded no effect at all: the load never ran or the ledger observer failed';
  const seqs = [...new Set(effects.map((e) => e.seq))].sort((a, b) => a - b);
  const gap = seqs.findIndex((s, i) => s !== i + 1);
  if (gap >= 0) return `the history's ledger has a gap (seq ${gap + 1} is missing of 1…${seqs.at(-1)}), so the venue's book cannot be rebuilt`;
  const silent = effects.filter((e) => BOOK_KINDS.has(e.kind) && e.book === undefined);
  if (silent.length) return `${silent.length} order/cancel/close effect(s) carry no 'book' field (e.g. seq ${silent[0].seq}): this venue does not say what it did with orders (docs/contracts.md §5)`;
  return null;
}

export const modeWorkDone: Checker = (h) => {
  // A kill the system never confirmed (e.g. the broker could not reach Redis) can still stop the bots
  // (they fail closed): their work is judged at Stopped all the same, "at engagedAt" is then at issuedAt.
  const ready = killAndScope(h, name, { needEngaged: false });
  if (isVerdict(ready)) return ready;
  const mode = h.killMode();
  if (!mode) return unknown(name, `the kill's mode (${ready.kill.mode}${ready.kill.level ? `, level ${ready.kill.level}` : ''}) is not one this checker knows`);
  const effects = [...new Map((h.effects() as BookEffect[]).map((e) => [e.seq, e])).values()].sort((a, b) => a.seq - b.seq);
  const errors = (h.ops as ReadonlyArray<{ type: string; errors?: unknown }>).filter((o) => o.type === 'observer-errors').flatMap((o) => (Array.isArray(o.errors) ? o.errors.map(String) : []));
  const problem = ledgerProblem(effects, errors);
  if (problem) return unknown(name, problem, { mode });
  if (!h.ofType('phase').length) return unknown(name, 'no bot phase was observed at all, so no bot is known to be Stopped', { mode });
  const engagedAt = ready.kill.engagedAt ?? ready.kill.issuedAt;
  const until = h.observedUntil();
  const perBot: Record<string, BotWork> = {};
  for (const b of ready.inScope) {
    const mine = effects.filter((e) => e.bot === b.slug);
    const atEngaged = BotBook.of(mine.filter((e) => e.receivedAt <= engagedAt));
    const stoppedAt = h.firstIn(b.slug, ['Stopped'], ready.kill.issuedAt);
    const restingAtIssued = BotBook.of(mine.filter((e) => e.receivedAt <= ready.kill.issuedAt)).open.size;
    const w: BotWork = { class: b.class, stoppedAt, restingAtIssued, restingAtEngaged: atEngaged.open.size, netAtEngaged: atEngaged.net, restingAtStopped: [], restingAtStoppedCount: 0, remainedFromEngaged: [], netAtStopped: null, problem: null };
    perBot[b.slug] = w;
    if (stoppedAt === null) {
      w.problem = `never Stopped (last ${h.phaseAt(b.slug, until) ?? 'unseen'}), so its work was never finished`;
      continue;
    }
    const atStopped = BotBook.of(mine.filter((e) => e.dispatchedAt <= stoppedAt));
    const resting = [...atStopped.open.keys()];
    w.restingAtStopped = resting.slice(0, MAX_LISTED);
    w.restingAtStoppedCount = resting.length;
    w.remainedFromEngaged = resting.filter((k) => atEngaged.open.has(k)).slice(0, MAX_LISTED);
    w.netAtStopped = atStopped.net;
  }
  const inScope = new Set(ready.inScope.map((b) => b.slug));
  const never = Object.entries(perBot).filter(([, w]) => w.problem !== null).map(([s]) => s);
  const book = venueBook(h, effects, inScope, perBot);
  const details: Record<string, unknown> = { mode, engagedAt: ready.kill.engagedAt, killFailed: ready.kill.failed, inScope: ready.inScope.length, perBot, venueBook: book.details };

  if (mode === 'freeze') {
    if (never.length) return unknown(name, `${never.length} in-scope bot(s) never Stopped (${list(never)}), so what the freeze left cannot be reported`, details);
    const resting = sum(perBot, (w) => w.restingAtStoppedCount);
    const open = Object.values(perBot).filter((w) => (w.netAtStopped ?? 0) !== 0).length;
    return { checker: name, valid: true, summary: `freeze sends nothing (post-flip-effects judges that): at Stopped ${resting} in-scope order(s) rest and ${open} position(s) are open, left as they were`, details };
  }
  const leftOrders = Object.entries(perBot).filter(([, w]) => w.restingAtStoppedCount > 0);
  const leftPositions = mode === 'flatten' ? Object.entries(perBot).filter(([, w]) => (w.netAtStopped ?? 0) !== 0) : [];
  const fails: string[] = [];
  if (leftOrders.length) fails.push(`${sum(perBot, (w) => w.restingAtStoppedCount)} order(s) still rest at the venue when their bot is Stopped (${list(leftOrders.map(([s, w]) => `${s} ×${w.restingAtStoppedCount}, ${w.remainedFromEngaged.length} of them resting at engagedAt`))})`);
  if (leftPositions.length) fails.push(`${leftPositions.length} position(s) are not flat at Stopped (${list(leftPositions.map(([s, w]) => `${s} ${w.netAtStopped! > 0 ? '+' : ''}${w.netAtStopped}`))})`);
  if (book.fail) fails.push(book.fail);
  if (fails.length) return { checker: name, valid: false, summary: `the ${mode} mode's work was not done: ${fails.join('; ')}`, details };
  if (never.length) return unknown(name, `${never.length} in-scope bot(s) never Stopped (${list(never)}), so whether the ${mode} mode's work was done by then cannot be said`, details);
  if (book.unknown) return unknown(name, book.unknown, details);
  const cancelled = sum(perBot, (w) => w.restingAtIssued);
  return {
    checker: name,
    valid: true,
    summary: `${mode}: no in-scope order rests at the venue once its bot is Stopped (${cancelled} were resting when the lever was pulled)${mode === 'flatten' ? ', every in-scope position is flat' : ''}; the venue's own book agrees`,
    details,
  };
};

const sum = (m: Record<string, BotWork>, f: (w: BotWork) => number) => Object.values(m).reduce((n, w) => n + f(w), 0);

/** The venue's own book against the ledger's: `fail` when the venue itself reports the work undone, `unknown` when it cannot be checked or they disagree. */
function venueBook(h: Parameters<Checker>[0], effects: readonly BookEffect[], inScope: Set<string>, perBot: Record<string, BotWork>): { fail?: string; unknown?: string; details: unknown } {
  const release = h.ofType('lever-issued').find((o) => o.lever === 'release');
  const snaps = (h.ops as ReadonlyArray<{ type: string; t: number }>).filter((o) => o.type === 'venue-book' && (!release || o.t < release.t)) as unknown as VenueBookOp[];
  const snap = snaps.at(-1);
  if (!snap) return { unknown: "the venue's own book (GET /orders?open=1, GET /positions) was not recorded once the in-scope bots were Stopped, so the ledger's account cannot be cross-checked", details: null };
  if (!snap.ok) return { unknown: `the venue's own book could not be read (${snap.error})`, details: { ok: false, error: snap.error } };
  const mode = h.killMode();
  const late = Object.entries(perBot).filter(([, w]) => w.stoppedAt !== null && w.stoppedAt > snap.at).map(([s]) => s);
  const venueOrders = snap.orders.filter((o) => inScope.has(o.bot));
  const venueOpen = snap.positions.filter((p) => inScope.has(p.bot) && p.net !== 0);
  const details = { at: snap.at, ordersSeq: snap.ordersSeq, positionsSeq: snap.positionsSeq, resting: venueOrders.slice(0, MAX_LISTED), restingCount: venueOrders.length, openPositions: venueOpen.slice(0, MAX_LISTED) };
  const own: string[] = [];
  if (venueOrders.length) own.push(`the venue itself reports ${venueOrders.length} in-scope order(s) resting (${list(venueOrders.map((o) => `${o.bot} ${o.key}`))})`);
  if (mode === 'flatten' && venueOpen.length) own.push(`the venue itself reports ${venueOpen.length} in-scope position(s) open (${list(venueOpen.map((p) => `${p.bot} ${p.net}`))})`);
  if (own.length && mode !== 'freeze') return { fail: `${own.join('; ')} after every in-scope bot was Stopped`, details };
  if (late.length) return { unknown: `the venue's own book was read before ${late.length} bot(s) were Stopped (${list(late)})`, details };
  // The ledger's book at the venue's seq: the same set of resting orders and the same positions.
  const disagree: string[] = [];
  for (const slug of inScope) {
    const mine = effects.filter((e) => e.bot === slug);
    const orders = BotBook.of(mine.filter((e) => e.seq <= snap.ordersSeq));
    const venueKeys = new Set(snap.orders.filter((o) => o.bot === slug).map((o) => o.key));
    const missing = [...orders.open.keys()].filter((k) => !venueKeys.has(k));
    const extra = [...venueKeys].filter((k) => !orders.open.has(k));
    if (missing.length || extra.length) disagree.push(`${slug}: the ledger has ${missing.length} resting order(s) the venue does not list and the venue lists ${extra.length} the ledger does not`);
    const net = BotBook.of(mine.filter((e) => e.seq <= snap.positionsSeq)).net;
    const venueNet = snap.positions.find((p) => p.bot === slug)?.net ?? 0;
    if (net !== venueNet) disagree.push(`${slug}: position ${net} by the ledger, ${venueNet} by the venue`);
  }
  if (disagree.length) return { unknown: `the venue's own book disagrees with its ledger: ${list(disagree, 3)}`, details: { ...details, disagreements: disagree.slice(0, MAX_LISTED) } };
  return { details };
}
