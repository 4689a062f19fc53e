// breaker-tripped for seed 003's consecutive-losses breaker (expect `breaker: consecutive-losses`,
// `losses: N`, `cooldownS: C`): a request-time gate at the execution boundary on the ledger's fills.
// The harness computes every bot's realized P&L itself, from the ledger only (FIFO over the fills'
// venue prices, in seq order; nothing from the fleet's code): a fill that closes any quantity is a
// closing event. When a bot's last N closing events all lost, at L (that fill's receivedAt), its
// breaker must be tripped until E, the earlier of L + C and its next winning close; an event at or
// after L + C first ends the trip and starts the streak over. For every such trip:
// - the journal has a consecutive-losses `tripped` line of that bot within [L − 50 ms, L + budget];
// - no `order` of that bot landed (receivedAt) in (L + budget, E): the budget covers orders that
//   passed the gate before the losing fill's reply reached it.
// A journaled `tripped` with no computed trip within the budget before it fails (a breaker that
// trips on fewer losses, or on another bot's). Judged up to the ledger's horizon, its newest
// recorded effect: a fill the last read did not get, and a trip journaled after it, are not. Unknown: fills without a price, no adverse-fills
// fault that succeeded, or no bot on its assets reaching N losing closes after it (nothing drilled).
import type { BreakerOp, FaultInjectedOp, History } from '../history/index.ts';
import type { Verdict } from './types.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs } from './stats.ts';
import type { BookEffect } from './venue-book.ts';

const name = 'breaker-tripped' as const;
const EARLY_MS = 50;
const MAX_LISTED = 20;

export interface LossTrip {
  bot: string;
  asset: string;
  /** receivedAt of the Nth losing close. */
  at: number;
  seq: number;
  until: number;
  endedBy: 'cooldown' | 'win' | 'end';
  journaledAt: number | null;
  ordersLanded: string[];
  problem: string | null;
}

interface Lot {
  qty: number;
  price: number;
}

/** FIFO realized P&L of one fill against the open lots (mutated); null when it closes nothing. */
export function realizedPnl(lots: Lot[], side: string | undefined, qty: number, price: number): number | null {
  let q = side === 'buy' ? qty : side === 'sell' ? -qty : 0;
  let pnl = 0;
  let closed = false;
  while (q !== 0 && lots.length > 0 && lots[0].qty * q < 0) {
    const lot = lots[0];
    const take = Math.min(Math.abs(q), Math.abs(lot.qty));
    const long = lot.qty > 0;
    pnl += take * (long ? price - lot.price : lot.price - price);
    closed = true;
    lot.qty += long ? -take : take;
    q += long ? take : -take;
    if (lot.qty === 0) lots.shift();
  }
  if (q !== 0) lots.push({ qty: q, price });
  return closed ? pnl : null;
}

/** The trips the ledger's fills call for, per the seed's rule with N losses and a cooldown of C ms. */
export function lossTrips(fills: BookEffect[], n: number, cooldownMs: number, end: number, assetOf: (bot: string) => string): Omit<LossTrip, 'journaledAt' | 'ordersLanded' | 'problem'>[] {
  const out: Omit<LossTrip, 'journaledAt' | 'ordersLanded' | 'problem'>[] = [];
  const state = new Map<string, { lots: Lot[]; streak: number; trip: (typeof out)[number] | null }>();
  for (const f of fills) {
    let s = state.get(f.bot);
    if (!s) state.set(f.bot, (s = { lots: [], streak: 0, trip: null }));
    const pnl = realizedPnl(s.lots, f.side, f.qty ?? 0, f.price!);
    if (pnl === null) continue;
    if (s.trip && f.receivedAt >= s.trip.at + cooldownMs) {
      s.trip.until = s.trip.at + cooldownMs;
      s.trip.endedBy = 'cooldown';
      s.trip = null;
      s.streak = 0;
    }
    if (pnl >= 0) {
      s.streak = 0;
      if (s.trip) {
        s.trip.until = f.receivedAt;
        s.trip.endedBy = 'win';
        s.trip = null;
      }
      continue;
    }
    s.streak++;
    if (s.streak >= n && !s.trip) {
      s.trip = { bot: f.bot, asset: assetOf(f.bot), at: f.receivedAt, seq: f.seq, until: Math.min(f.receivedAt + cooldownMs, end), endedBy: f.receivedAt + cooldownMs <= end ? 'cooldown' : 'end' };
      out.push(s.trip);
    }
  }
  return out;
}

export function judgeLossBreaker(h: History, o: { losses: number; cooldownMs: number; budgetMs: number; fault: FaultInjectedOp; assets: string[] | null; breakers: BreakerOp[]; effects: BookEffect[]; errorProblem: string | null; cannot: (why: string, d?: Record<string, unknown>) => Verdict }): Verdict {
  const { losses: n, cooldownMs, budgetMs, fault } = o;
  // The ledger's horizon: every effect the venue received up to its newest recorded one was read (seq
  // and receivedAt rise together); a fill after the last read is not in the history, so neither a trip
  // due from it nor one journaled after it is judged.
  const end = Math.min(h.observedUntil(), Math.max(...o.effects.map((e) => e.receivedAt)));
  const fills = o.effects.filter((e) => e.book === 'fill');
  const unpriced = fills.filter((e) => typeof e.price !== 'number' || !Number.isFinite(e.price));
  if (unpriced.length) return o.cannot(`${unpriced.length} fill(s) carry no price (e.g. seq ${unpriced[0].seq}: the venue does not say what it filled at, docs/contracts.md §5), so no realized P&L can be computed`);
  const assetOf = new Map(h.roster().map((b) => [b.slug, b.asset]));
  const trips: LossTrip[] = lossTrips(fills, n, cooldownMs, end, (b) => assetOf.get(b) ?? '').map((t) => ({ ...t, journaledAt: null, ordersLanded: [], problem: null }));
  const journaled = o.breakers.filter((b) => b.event === 'tripped');
  const orders = o.effects.filter((e) => e.kind === 'order');
  const judged = trips.filter((t) => t.at + budgetMs <= end);
  for (const t of judged) {
    const j = journaled.find((b) => b.bot === t.bot && b.at >= t.at - EARLY_MS && b.at <= t.at + budgetMs);
    t.journaledAt = j?.at ?? null;
    t.ordersLanded = orders.filter((e) => e.bot === t.bot && e.receivedAt > t.at + budgetMs && e.receivedAt < t.until).map((e) => e.key);
    const p: string[] = [];
    if (!j) p.push(`journaled no consecutive-losses trip within ${fmtMs(budgetMs)} of the close that made ${n} losses in a row (seq ${t.seq})`);
    if (t.ordersLanded.length) p.push(`had ${t.ordersLanded.length} order(s) land while it should have been refused (${list(t.ordersLanded, 3)}), up to ${fmtMs(Math.max(...orders.filter((e) => t.ordersLanded.includes(e.key)).map((e) => e.receivedAt)) - t.at)} after the trip`);
    if (p.length) t.problem = p.join(', ');
  }
  const unexplained = journaled.filter((b) => b.at <= end && !trips.some((t) => t.bot === b.bot && b.at >= t.at - EARLY_MS && b.at <= t.at + budgetMs));
  const inFault = (t: LossTrip) => t.at >= fault.at && (o.assets === null || o.assets.includes(t.asset));
  const drilled = judged.filter(inFault);
  const failed = judged.filter((t) => t.problem !== null);
  const details = {
    breaker: 'consecutive-losses', losses: n, cooldownMs, budgetMs, errors: o.errorProblem,
    fault: { id: fault.id, kind: fault.kind, assets: o.assets ?? '*', injectedAt: fault.at },
    fills: fills.length, trips: trips.length, judged: judged.length, drilled: drilled.length,
    perTrip: judged.slice(0, 200),
    unexplained: unexplained.slice(0, MAX_LISTED).map((b) => ({ bot: b.bot, at: b.at, detail: b.detail })),
  };
  const problems = [
    ...(o.errorProblem ? [o.errorProblem] : []),
    ...(failed.length ? [`${failed.length} of ${judged.length} consecutive-losses trip(s) the ledger calls for failed: ${list(failed.map((t) => `${t.bot} ${t.problem}`), 5)}`] : []),
    ...(unexplained.length ? [`${unexplained.length} consecutive-losses trip(s) journaled without ${n} losing closes in a row by the ledger's FIFO P&L within ${fmtMs(budgetMs)} before: ${list(unexplained.map((b) => b.bot), 5)}`] : []),
  ];
  if (problems.length) return { checker: name, valid: false, summary: problems.join('; '), details };
  if (!drilled.length) return unknown(name, `no bot on ${o.assets ? o.assets.join(', ') : 'any asset'} reached ${n} losing closes in a row after the ${fault.kind} (${fills.length} fills, ${trips.length} trip(s) in all), so the consecutive-losses breaker was not drilled`, details);
  const bots = new Set(drilled.map((t) => t.bot));
  return {
    checker: name,
    valid: true,
    summary: `all ${judged.length} consecutive-losses trip(s) the ledger's FIFO P&L calls for (${drilled.length} trip(s) of ${bots.size} bot(s) on ${o.assets ? o.assets.join(', ') : 'every asset'} after the ${fault.kind}) were journaled within ${fmtMs(budgetMs)} and no order of the bot landed after that until the trip ended (cooldown ${fmtMs(cooldownMs)} or a winning close)${trips.length > judged.length ? `; ${trips.length - judged.length} too close to the end to judge` : ''}${journaled.length - journaled.filter((b) => b.at <= end).length ? `; ${journaled.length - journaled.filter((b) => b.at <= end).length} journaled after the ledger's last read, not judged` : ''}`,
    details,
  };
}
