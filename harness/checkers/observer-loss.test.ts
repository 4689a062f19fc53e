// An observer that failed to the end of the run makes every checker that needed its source unknown
// (never a pass); a failure it recovered from changes nothing; a false stays false; a crash is unknown.
import { describe, expect, it } from 'vitest';
import { CHECKERS, CHECKER_NAMES, OPT_IN, runCheckers, type CheckerName, type Verdict } from './index.ts';
import { NEEDS, OBSERVER_SOURCES } from './needs.ts';
import { allPhase, build, kill, observed, phase, release, roster, SLUGS } from './history-fixture.ts';

type O = Record<string, unknown> & { type: string };
/** An effect before the venue numbered it: `book` is what the venue did with it (venue-book.ts). */
type Eff = { bot: string; kind: string; key: string; at: number } & Record<string, unknown>;

const status = (at: number) => ({ type: 'status', ok: true, haltLevel: 0, incident: null, engaged: ['kd:test:fleet:agents'], bootId: 'b1', at });
const failed = (source: string, from: number, to: number, recovered: boolean) => ({ type: 'observer-failed', source, error: `killdrill: venue GET /${source} answered 500`, from, to, recovered });

const fill = (bot: string, key: string, at: number, side: string): Eff => ({ bot, kind: 'order', orderType: 'market', side, qty: 1, book: 'fill', key, at });
/** The out-of-scope bots trade on, ten fills a second from their Running at 500 to the end (buy, sell, …): 5 before the lever, enough for out-of-scope-unaffected to judge their pace. */
const outOfScopeLoad = (): Eff[] => ['mm-aapl', 'sa-msft'].flatMap((bot) => Array.from({ length: 200 }, (_, i) => fill(bot, `k-${bot}-${i}`, 500 + i * 100 + (bot === 'sa-msft' ? 10 : 0), i % 2 ? 'sell' : 'buy')));
/** agent-aapl (in scope) rests an order before the kill and cancels it while Draining (the cancel mode's work). */
const agentLoad = (): Eff[] => [
  { bot: 'agent-aapl', kind: 'order', orderType: 'limit', side: 'buy', qty: 1, book: 'rests', key: 'k-agent-1', at: 600 },
  { bot: 'agent-aapl', kind: 'cancel', orderKey: 'k-agent-1', book: 'cancelled', key: 'k-agent-cancel-1', at: 1600 },
];

/** The ledger (seq 1, 2, 3 … in the order the venue received them, 5 ms transit on every daemon: no clock skew) and each effect's journal intent (10 ms before dispatch). */
function ledger(xs: Eff[]): O[] {
  const sorted = [...xs].sort((a, b) => a.at - b.at);
  return sorted.flatMap(({ at, ...x }, i) => [
    { type: 'effect', seq: i + 1, dispatchedAt: at, receivedAt: at + 5, ...x },
    { type: 'journal', bot: x.bot, key: x.key, kind: x.kind, intentAt: at - 10, outcome: 'landed', seq: i + 1 },
  ]);
}

/** The venue's own book read at `at`: no resting order, each bot's net position by the effects it received by then. */
function venueBook(xs: Eff[], at: number): O {
  const seen = xs.filter((x) => x.at + 5 <= at);
  const net = (bot: string) => seen.filter((x) => x.bot === bot && x.book === 'fill').reduce((n, x) => n + (x.side === 'buy' ? 1 : -1) * (x.qty as number), 0);
  return { type: 'venue-book', ok: true, at, bots: SLUGS, ordersSeq: seen.length, positionsSeq: seen.length, orders: [], positions: SLUGS.map((bot) => ({ bot, net: net(bot) })) };
}

/**
 * A run every checker passes: the agents fleet (agent-aapl) killed on the redis path, Draining, its
 * resting order cancelled, Stopped, the venue's book read, released, back to Running; mm-aapl and
 * sa-msft, out of scope, Running and trading throughout. `effects` join the ledger (numbered with the rest).
 */
const passingWith = (effects: Eff[], ...extra: O[]) => {
  const all = [...outOfScopeLoad(), ...agentLoad(), ...effects];
  return build(
    { type: 'run-start', runId: 'r', scenario: 's', case: 'default', seed: 1, config: { keyPrefix: 'kd:test' } },
    roster(),
    allPhase('Running', 500),
    ledger(all),
    kill(1000, 1100, { path: 'redis', scope: 'fleet', target: 'agents' }),
    status(1200),
    phase('agent-aapl', 'Draining', 1500),
    phase('agent-aapl', 'Stopped', 2000),
    venueBook(all, 2500),
    status(5000),
    release(10_000),
    phase('agent-aapl', 'Running', 11_000),
    observed(20_000),
    ...extra,
    { type: 'journal-read', intents: all.length, files: 3 },
  );
};
const passing = (...extra: O[]) => passingWith([], ...extra);

/** The checkers runCheckers runs without an expect block naming the opt-in ones. */
const RUN = CHECKER_NAMES.filter((n) => !OPT_IN.includes(n));

const byName = (vs: Verdict[]) => Object.fromEntries(vs.map((v) => [v.checker, v]));

describe('observer loss', () => {
  it('the baseline history passes every checker', () => {
    const vs = runCheckers(passing(), {});
    expect(vs.filter((v) => v.valid !== true).map((v) => `${v.checker}: ${v.summary}`)).toEqual([]);
  });

  it('every checker declares the sources it needs, from the known sources', () => {
    for (const n of CHECKER_NAMES) {
      expect(NEEDS[n], n).toBeDefined();
      for (const s of NEEDS[n]!) expect(OBSERVER_SOURCES).toContain(s);
    }
  });

  // A source only opt-in checkers need (agents) is covered by their own tests (agent-checkers.test.ts).
  for (const source of OBSERVER_SOURCES.filter((s) => RUN.some((n) => NEEDS[n]!.includes(s)))) {
    it(`an unrecovered ${source} failure makes exactly the checkers needing it unknown, with the source, error and range`, () => {
      const vs = byName(runCheckers(passing(failed(source, 4000, 20_000, false)), {}));
      const needing = RUN.filter((n) => NEEDS[n]!.includes(source));
      expect(needing.length).toBeGreaterThan(0);
      for (const n of RUN) {
        if (needing.includes(n)) {
          expect(vs[n].valid, n).toBe('unknown');
          expect(vs[n].summary).toMatch(new RegExp(`the ${source} observer failed from \\+3\\.00 s from the kill to the end of observation \\(\\+19\\.00 s from the kill\\): killdrill: venue GET /${source} answered 500`));
          expect(vs[n].details.observerLoss).toEqual([{ source, error: `killdrill: venue GET /${source} answered 500`, from: 4000, to: 20_000 }]);
        } else expect(vs[n].valid, n).toBe(true);
      }
    });

    it(`a ${source} failure the observer recovered from (its cursor caught up) changes nothing`, () => {
      const vs = runCheckers(passing(failed(source, 4000, 6000, true)), {});
      expect(vs.every((v) => v.valid === true)).toBe(true);
    });
  }

  it('a false stays false when its source failed: the violation was seen', () => {
    const h = passingWith([fill('agent-aapl', 'k-late', 3000, 'buy')], failed('ledger', 4000, 20_000, false));
    const vs = byName(runCheckers(h, {}));
    expect(vs['post-flip-effects'].valid).toBe(false);
    expect(vs['journal-consistent'].valid).toBe('unknown');
  });

  it('an unknown of its own stays unknown, names the lost source first (the likely root cause) and keeps its reason', () => {
    const h = build(passing(failed('journal', 4000, 20_000, false)).ops.filter((o) => o.type !== 'journal-read') as unknown as O[]);
    const v = byName(runCheckers(h, {}))['journal-consistent'];
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/^the journal observer failed from \+3\.00 s from the kill .*answered 500; what happened after it failed was never read, and the checker could not decide anyway: the journals were not read after the run/);
    expect(v.details.observerLoss).toEqual([{ source: 'journal', error: 'killdrill: venue GET /journal answered 500', from: 4000, to: 20_000 }]);
    expect(v.details.verdictWithoutLoss).toBeUndefined();
  });

  it('a checker that throws is unknown, never a pass, and the others still run', () => {
    const crashing: Record<CheckerName, (typeof CHECKERS)[CheckerName]> = { ...CHECKERS, 'post-flip-effects': () => { throw new Error('boom'); } };
    const vs = byName(runCheckers(passing(), {}, [], crashing));
    expect(vs['post-flip-effects']).toMatchObject({ valid: 'unknown' });
    expect(vs['post-flip-effects'].summary).toMatch(/^killdrill: the checker crashed \(boom\); this is a harness bug/);
    expect(vs['time-to-stop'].valid).toBe(true);
  });
});
