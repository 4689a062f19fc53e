// mode-work-done on literal histories: must pass, must fail (each bug shape), must be unknown.
import { describe, expect, it } from 'vitest';
import { modeWorkDone } from './mode-work-done.ts';
import { runCheckers } from './index.ts';
import { allPhase, build, kill, observed, phase, release, roster } from './history-fixture.ts';

type O = Record<string, unknown> & { type: string };
type Eff = Record<string, unknown> & { bot: string; kind: string; at: number };

/** Effects with seq 1, 2, 3 … as the venue numbers them; `book` is what the venue did. */
function ledger(...xs: Eff[]): O[] {
  return xs.map(({ at, ...x }, i) => ({ type: 'effect', seq: i + 1, key: x.key ?? `e${i + 1}`, dispatchedAt: at, receivedAt: at + 5, ...x }));
}
const limit = (bot: string, key: string, at: number): Eff => ({ bot, kind: 'order', orderType: 'limit', side: 'buy', qty: 2, key, book: 'rests', at });
const cancel = (bot: string, orderKey: string, at: number): Eff => ({ bot, kind: 'cancel', orderKey, book: 'cancelled', at });
const market = (bot: string, side: string, qty: number, at: number): Eff => ({ bot, kind: 'order', orderType: 'market', side, qty, book: 'fill', at });
const close = (bot: string, side: string, qty: number, at: number): Eff => ({ bot, kind: 'close', side, qty, book: 'fill', at });
const action = (bot: string, at: number): Eff => ({ bot, kind: 'action', at });

const venueBook = (at: number, orders: Array<{ bot: string; key: string }> = [], positions: Array<{ bot: string; net: number }> = [], seq = 99): O => ({
  type: 'venue-book', ok: true, at, bots: ['mm-aapl', 'sa-msft', 'agent-aapl'], ordersSeq: seq, positionsSeq: seq, orders: orders.map((o, i) => ({ seq: i + 1, side: 'buy', qty: 2, ...o })), positions,
});

/** Load before the kill: two resting quotes of mm-aapl, a long position of sa-msft, an agent action. */
const before = [limit('mm-aapl', 'q1', 500), limit('mm-aapl', 'q2', 600), market('sa-msft', 'buy', 5, 550), market('sa-msft', 'sell', 2, 700), action('agent-aapl', 650)];
const stops = (at = 1500) => [allPhase('Draining', 1150), allPhase('Stopped', at)];
const start = () => [roster(), allPhase('Running', 0)];

/** A whole run: the effects (seq-numbered together), phases, the venue's book, end of observation. */
function run(mode: string, after: Eff[], book: O | null, extra: O[] = [], killExtra: Record<string, unknown> = {}) {
  return build(start(), kill(1000, 1100, { mode, ...killExtra }), ledger(...before, ...after), stops(), book ? [book] : [], extra, observed(9000));
}

describe('mode-work-done: passes', () => {
  it('cancel: every quote resting at engagedAt is cancelled before Stopped; positions are not its business', () => {
    const v = modeWorkDone(run('cancel', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)], venueBook(1600, [], [{ bot: 'sa-msft', net: 3 }])), {});
    expect(v.valid, v.summary).toBe(true);
    expect(v.summary).toMatch(/2 were resting when the lever was pulled/);
    expect((v.details.perBot as Record<string, { restingAtEngaged: number; netAtStopped: number }>)['mm-aapl'].restingAtEngaged).toBe(2);
  });

  it('flatten: quotes cancelled and the position closed, also the fill of an order still in flight at engagedAt', () => {
    const inFlight = { ...market('sa-msft', 'buy', 4, 1090), receivedAt: 1200 };
    const v = modeWorkDone(run('flatten', [inFlight, cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160), close('sa-msft', 'sell', 3, 1160), close('sa-msft', 'sell', 4, 1210)], venueBook(1600, [], [{ bot: 'sa-msft', net: 0 }])), {});
    expect(v.valid, v.summary).toBe(true);
    expect((v.details.perBot as Record<string, { netAtStopped: number; netAtEngaged: number }>)['sa-msft']).toMatchObject({ netAtEngaged: 3, netAtStopped: 0 });
  });

  it('freeze: reports the orders and positions left as they were', () => {
    const v = modeWorkDone(run('freeze', [], venueBook(1600, [{ bot: 'mm-aapl', key: 'q1' }, { bot: 'mm-aapl', key: 'q2' }], [{ bot: 'sa-msft', net: 3 }])), {});
    expect(v.valid, v.summary).toBe(true);
    expect(v.summary).toMatch(/2 in-scope order\(s\) rest and 1 position\(s\) are open/);
  });

  it('a kill never confirmed whose bots stopped anyway (failing closed) is judged at their Stopped', () => {
    const h = build(start(), kill(1000, null), ledger(...before, cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)), stops(), venueBook(1600, [], [{ bot: 'sa-msft', net: 3 }]), observed(9000));
    const v = modeWorkDone(h, {});
    expect(v.valid, v.summary).toBe(true);
    expect(v.details.engagedAt).toBe(null);
    expect(modeWorkDone(build(start(), kill(1000, null), ledger(...before), stops(), venueBook(1600, [{ bot: 'mm-aapl', key: 'q1' }, { bot: 'mm-aapl', key: 'q2' }], [{ bot: 'sa-msft', net: 3 }]), observed(9000)), {}).valid).toBe(false);
  });

  it('is registered and runs with the others', () => {
    const v = runCheckers(run('cancel', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)], venueBook(1600, [], [{ bot: 'sa-msft', net: 3 }])), {}).find((x) => x.checker === 'mode-work-done');
    expect(v?.valid).toBe(true);
  });
});

describe('mode-work-done: fails', () => {
  it('cancel-leaves-orders: the quotes resting at engagedAt are still there at Stopped', () => {
    const v = modeWorkDone(run('cancel', [], venueBook(1600, [{ bot: 'mm-aapl', key: 'q1' }, { bot: 'mm-aapl', key: 'q2' }], [{ bot: 'sa-msft', net: 3 }])), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/2 order\(s\) still rest .*mm-aapl ×2, 2 of them resting at engagedAt/);
    expect((v.details.perBot as Record<string, { remainedFromEngaged: string[] }>)['mm-aapl'].remainedFromEngaged).toEqual(['q1', 'q2']);
  });

  it('an order in flight at engagedAt that rested and was never cancelled', () => {
    const late = { ...limit('mm-aapl', 'q3', 1090), receivedAt: 1200 };
    const v = modeWorkDone(run('flatten', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160), late, close('sa-msft', 'sell', 3, 1160)], venueBook(1600, [{ bot: 'mm-aapl', key: 'q3' }], [{ bot: 'sa-msft', net: 0 }])), {});
    expect(v.valid).toBe(false);
    expect((v.details.perBot as Record<string, { restingAtStopped: string[]; remainedFromEngaged: string[] }>)['mm-aapl']).toMatchObject({ restingAtStopped: ['q3'], remainedFromEngaged: [] });
  });

  it('flatten-keeps-position: orders cancelled, the position never closed', () => {
    const v = modeWorkDone(run('flatten', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)], venueBook(1600, [], [{ bot: 'sa-msft', net: 3 }])), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 position\(s\) are not flat at Stopped \(sa-msft \+3\)/);
  });

  it('a halt level implies its mode: level 1 is flatten', () => {
    const v = modeWorkDone(run('cancel', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)], venueBook(1600, [], [{ bot: 'sa-msft', net: 3 }]), [], { path: 'broker-level', level: 1, asset: 'MSFT' }), {});
    expect(v.details.mode).toBe('flatten');
    expect(v.valid).toBe(false);
  });

  it('the venue itself reports an in-scope order resting after Stopped, whatever the ledger says', () => {
    const v = modeWorkDone(run('cancel', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)], venueBook(1600, [{ bot: 'mm-aapl', key: 'q9' }], [{ bot: 'sa-msft', net: 3 }])), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/the venue itself reports 1 in-scope order/);
  });

  it('a cancel sent after the bot said Stopped does not count as done by Stopped', () => {
    const v = modeWorkDone(run('cancel', [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1700)], venueBook(1800, [], [{ bot: 'sa-msft', net: 3 }])), {});
    expect(v.valid).toBe(false);
    expect((v.details.perBot as Record<string, { restingAtStopped: string[] }>)['mm-aapl'].restingAtStopped).toEqual(['q2']);
  });
});

describe('mode-work-done: unknown', () => {
  const done = [cancel('mm-aapl', 'q1', 1160), cancel('mm-aapl', 'q2', 1160)];
  const book = venueBook(1600, [], [{ bot: 'sa-msft', net: 3 }]);

  it('a bot never Stopped', () => {
    const h = build(start(), kill(1000, 1100), ledger(...before, ...done), allPhase('Draining', 1150), phase('mm-aapl', 'Stopped', 1500), phase('sa-msft', 'Stopped', 1500), observed(9000));
    const v = modeWorkDone(h, {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/agent-aapl/);
  });

  it('no ledger at all, a ledger with a gap, a ledger observer that failed', () => {
    expect(modeWorkDone(build(start(), kill(1000, 1100), stops(), [book], observed(9000)), {}).valid).toBe('unknown');
    const gap = ledger(...before, ...done).filter((e) => e.seq !== 3);
    const v = modeWorkDone(build(start(), kill(1000, 1100), gap, stops(), [book], observed(9000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/gap \(seq 3 is missing/);
    const err = { type: 'observer-errors', errors: ['killdrill: venue GET /ledger answered 500'] };
    expect(modeWorkDone(run('cancel', done, book, [err]), {}).summary).toMatch(/ledger observer failed/);
  });

  it('a venue that does not say what it did with orders (no book field)', () => {
    const h = build(start(), kill(1000, 1100), ledger(...before.map(({ book: _b, ...e }) => e), ...done), stops(), [book], observed(9000));
    const v = modeWorkDone(h, {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/carry no 'book' field/);
  });

  it('no phases, no kill', () => {
    expect(modeWorkDone(build(roster(), kill(1000, 1100), ledger(...before), observed(9000)), {}).valid).toBe('unknown');
    expect(modeWorkDone(build(start(), ledger(...before), observed(9000)), {}).valid).toBe('unknown');
  });

  it("the venue's own book missing, unreadable, read too early, or disagreeing with the ledger", () => {
    expect(modeWorkDone(run('cancel', done, null), {}).summary).toMatch(/was not recorded/);
    expect(modeWorkDone(run('cancel', done, { type: 'venue-book', ok: false, at: 1600, error: 'killdrill: venue GET /orders answered 404' }), {}).summary).toMatch(/could not be read .*404/);
    expect(modeWorkDone(run('cancel', done, venueBook(1400, [], [{ bot: 'sa-msft', net: 3 }])), {}).summary).toMatch(/read before 3 bot/);
    const v = modeWorkDone(run('cancel', done, venueBook(1600, [], [{ bot: 'sa-msft', net: 7 }])), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/disagrees with its ledger: sa-msft: position 3 by the ledger, 7 by the venue/);
  });

  it("a venue book taken after the release is not the book at Stopped", () => {
    const h = build(start(), kill(1000, 1100), ledger(...before, ...done), stops(), release(2000), [book], observed(9000));
    expect(modeWorkDone(h, {}).summary).toMatch(/was not recorded/);
  });
});
