// breaker-tripped on literal histories: passes (trip within the budget, cancels and closes, nothing
// opened while tripped; volatility by a price-shock), fails (never tripped, tripped late, opened while
// tripped, not flat, a bot on another asset tripped, a breaker error — also when nothing else can be judged), unknown (no fault, the
// journals not read, no book fields, a window that ended before the budget ran out).
import { describe, expect, it } from 'vitest';
import { breakerTripped } from './breaker-tripped.ts';
import { runCheckers } from './index.ts';
import { build, effect, observed, roster } from './history-fixture.ts';
import type { Expectations } from './types.ts';

type O = Record<string, unknown> & { type: string };
const MD: Expectations = { 'breaker-tripped': { breaker: 'market-data' } };
const read: O = { type: 'journal-read', intents: 4, files: 2 };
const gap = (at = 1000, params: Record<string, unknown> = { assets: ['AAPL'] }, kind = 'market-data-gap'): O => ({ type: 'fault-injected', id: `${kind}-1`, kind, params, at });
const healed = (at: number, kind = 'market-data-gap'): O => ({ type: 'fault-healed', id: `${kind}-1`, kind, params: {}, at });
const brk = (bot: string, event: 'tripped' | 'reset' | 'error', at: number, breaker = 'market-data', asset = 'AAPL'): O => ({
  type: 'breaker', bot, asset, breaker, event, at, detail: event === 'error' ? 'GET /bars answered 500' : `newest ${asset} bar stale`, host: 'node-a', daemon: 'market-making-a', pid: 7,
});
// The venue's account of each effect (venue-book.ts): an order resting, a market buy filled, the drain's cancel and close.
const rests = (bot: string, at: number, key: string): O => ({ ...effect(bot, 'order', at, at + 5, key), book: 'rests', side: 'buy', qty: 1, orderType: 'limit' });
const bought = (bot: string, at: number, key: string, qty = 2): O => ({ ...effect(bot, 'order', at, at + 5, key), book: 'fill', side: 'buy', qty, orderType: 'market' });
const cancel = (bot: string, at: number, orderKey: string): O => ({ ...effect(bot, 'cancel', at, at + 5, `c-${orderKey}`), book: 'cancelled', orderKey });
const close = (bot: string, at: number, qty = 2): O => ({ ...effect(bot, 'close', at, at + 5, `close-${bot}-${at}`), book: 'fill', side: 'sell', qty });

/** mm-aapl (AAPL) holds a resting order and +2 when the gap starts at 1000; sa-msft (MSFT) is out of its reach. */
const before = (bot = 'mm-aapl') => [rests(bot, 500, `${bot}-o1`), bought(bot, 600, `${bot}-o2`)];
const wentFlat = (bot = 'mm-aapl', trip = 1300) => [brk(bot, 'tripped', trip), cancel(bot, trip + 20, `${bot}-o1`), close(bot, trip + 30)];
const after = [healed(5000), brk('mm-aapl', 'reset', 5200), bought('mm-aapl', 5300, 'mm-aapl-o3'), observed(10_000), read];

describe('breaker-tripped', () => {
  it('fails a breaker tripped since long before the fault and never reset (it trips on calm data, or is stuck): its bot never traded', () => {
    const v = breakerTripped(build(roster(), brk('mm-aapl', 'tripped', 100), gap(4000), cancel('mm-aapl', 120, 'x'), healed(8000), observed(10_000), read), MD);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/mm-aapl was tripped since 3.90 s before the fault and never reset/);
  });

  it('passes: the bot trading AAPL trips 300 ms into the gap, cancels and closes, opens nothing until its reset; a boot trip is listed, not judged', () => {
    const v = breakerTripped(build(roster(), brk('mm-aapl', 'tripped', 100), brk('mm-aapl', 'reset', 300), before(), gap(), wentFlat(), after), MD);
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/all 1 bot\(s\) trading AAPL tripped their market-data breaker within 2.00 s of the market-data-gap \(trip latency p50 300 ms, max 300 ms\), opened nothing while tripped and were flat within 2.00 s of the trip; none of the 1 bot\(s\) on other assets was tripped 2.00 s into it; 1 trip\(s\) before the fault listed/);
    expect(v.details).toMatchObject({
      breaker: 'market-data', fault: { kind: 'market-data-gap', assets: ['AAPL'], injectedAt: 1000 }, windowEnd: 5000, affected: 1,
      trippedBeforeFault: [{ bot: 'mm-aapl', at: 100 }],
      perBot: { 'mm-aapl': { tripAt: 1300, latencyMs: 300, resetAt: 5200, openedWhileTripped: [], netAtJudge: 0, resting: [], problem: null } },
    });
  });

  it('fails a bot on another asset tripped by the AAPL gap at the budget (a breaker wider than its symbol); one that tripped and reset by then is listed', () => {
    const wide = breakerTripped(build(roster(), before(), gap(), wentFlat(), brk('sa-msft', 'tripped', 1400, 'market-data', 'MSFT'), after), MD);
    expect(wide.valid).toBe(false);
    expect(wide.summary).toMatch(/^1 of 1 bot\(s\) on other assets had their market-data breaker tripped 2.00 s into the market-data-gap of AAPL though their own asset was not in it \(.*\): sa-msft \(MSFT\)/);
    expect(wide.details).toMatchObject({ otherAssets: { bots: 1, judgedAt: 3000, tripped: [{ bot: 'sa-msft', asset: 'MSFT', since: 1400 }] } });
    const blip = breakerTripped(build(roster(), before(), gap(), wentFlat(), brk('sa-msft', 'tripped', 1400, 'market-data', 'MSFT'), brk('sa-msft', 'reset', 1600, 'market-data', 'MSFT'), after), MD);
    expect(blip.valid).toBe(true);
    expect(blip.summary).toMatch(/none of the 1 bot\(s\) on other assets was tripped 2.00 s into it \(1 trip\(s\) of theirs in the window that reset by then listed, not judged\)/);
    // A bot on another asset tripped since before the fault is tripped at the budget too: it fails.
    const stuck = breakerTripped(build(roster(), brk('sa-msft', 'tripped', 200, 'market-data', 'MSFT'), before(), gap(), wentFlat(), after), MD);
    expect(stuck.valid).toBe(false);
    expect(stuck.details).toMatchObject({ otherAssets: { tripped: [{ bot: 'sa-msft', since: 200 }] } });
  });

  it('passes the volatility breaker by a price-shock on every asset (agents not judged)', () => {
    const vol = (bot: string, asset: string, at: number): O => ({ ...brk(bot, 'tripped', at, 'volatility', asset), ratio: 7.9 });
    const v = breakerTripped(build(roster(), effect('agent-aapl', 'action', 500), gap(1000, {}, 'price-shock'), vol('mm-aapl', 'AAPL', 1800), vol('sa-msft', 'MSFT', 1900), healed(6000, 'price-shock'), observed(10_000), read), { 'breaker-tripped': { breaker: 'volatility', budgetS: 3 } });
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/all 2 bot\(s\) trading every asset tripped their volatility breaker within 3.00 s of the price-shock \(trip latency p50 800 ms, max 900 ms\)/);
  });

  it('fails a bot that never tripped, naming it; the one that did is not blamed', () => {
    const v = breakerTripped(build(roster(), before(), gap(1000, {}), wentFlat(), after), MD);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 of 2 bot\(s\) trading every asset failed the market-data breaker drill: sa-msft never tripped/);
    expect(v.details).toMatchObject({ perBot: { 'mm-aapl': { problem: null }, 'sa-msft': { problem: 'never tripped', tripAt: null } } });
  });

  it('fails a trip after the budget, with its latency', () => {
    const v = breakerTripped(build(roster(), before(), gap(), wentFlat('mm-aapl', 3500), after), MD);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/mm-aapl tripped only after 2.50 s \(trip latency p50 2.50 s, max 2.50 s\)/);
  });

  it('fails an order dispatched after the trip and before the reset, listing its key', () => {
    const v = breakerTripped(build(roster(), before(), gap(), wentFlat(), rests('mm-aapl', 2500, 'mm-aapl-late'), cancel('mm-aapl', 2600, 'mm-aapl-late'), after), MD);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/mm-aapl opened 1 order\(s\) while tripped \(mm-aapl-late\)/);
    expect(v.details).toMatchObject({ perBot: { 'mm-aapl': { openedWhileTripped: ['mm-aapl-late'] } } });
  });

  it('fails a bot not flat by the budget: its net and its resting order', () => {
    const v = breakerTripped(build(roster(), before(), gap(), brk('mm-aapl', 'tripped', 1300), after), MD);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/mm-aapl not flat 2.00 s after its trip \(net \+2, 1 order\(s\) resting \(mm-aapl-o1\)\)/);
    expect(v.details).toMatchObject({ perBot: { 'mm-aapl': { netAtJudge: 2, resting: ['mm-aapl-o1'], judgedAt: 3300 } } });
  });

  it('fails a breaker that could not evaluate, even when every bot passed, and even when no fault was injected', () => {
    const err = brk('sa-msft', 'error', 2000, 'volatility', 'MSFT');
    const v = breakerTripped(build(roster(), before(), gap(), wentFlat(), err, after), MD);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/^1 breaker evaluation\(s\) failed: sa-msft volatility \(GET \/bars answered 500\); a breaker that cannot evaluate protects nothing/);
    expect(v.details).toMatchObject({ errors: [{ bot: 'sa-msft', breaker: 'volatility', at: 2000 }] });
    const none = breakerTripped(build(roster(), before(), err, observed(10_000), read), MD);
    expect(none.valid).toBe(false);
    expect(none.summary).toMatch(/; besides, no market-data-gap was injected, so no market-data breaker was drilled$/);
  });

  it('is unknown without the fault (or with one that failed), without the journals, and without effects', () => {
    const noFault = breakerTripped(build(roster(), before(), wentFlat(), observed(10_000), read), MD);
    expect(noFault.valid).toBe('unknown');
    expect(noFault.summary).toBe('no market-data-gap was injected, so no market-data breaker was drilled');
    expect(breakerTripped(build(roster(), before(), { ...gap(), ok: false, error: 'x' }, wentFlat(), observed(10_000), read), MD).valid).toBe('unknown');
    const lost: O = { type: 'observer-failed', source: 'journal', error: 'killdrill: the broker did not answer GET /journal within 20000 ms', from: 1, to: 2, recovered: false };
    const noJournal = breakerTripped(build(roster(), before(), gap(), healed(5000), observed(10_000), lost), MD);
    expect(noJournal.valid).toBe('unknown');
    expect(noJournal.summary).toMatch(/^the journals were not read after the run \(killdrill: the broker did not answer GET \/journal within 20000 ms\), so no breaker record was seen/);
    const noLedger = breakerTripped(build(roster(), gap(), brk('mm-aapl', 'tripped', 1300), after.filter((o) => o.type !== 'effect')), MD);
    expect(noLedger.valid).toBe('unknown');
    expect(noLedger.summary).toMatch(/the ledger recorded no effect at all/);
  });

  it('is unknown for flatness when the venue gives no book fields, and when the gap healed before the budget ran out', () => {
    const bare = [effect('mm-aapl', 'order', 500), brk('mm-aapl', 'tripped', 1300), effect('mm-aapl', 'cancel', 1320)];
    const v = breakerTripped(build(roster(), gap(), bare, after), MD);
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/mm-aapl its effects carry no 'book' field .* so whether it went flat is unknown/);
    const short = breakerTripped(build(roster(), before(), gap(), healed(1500), observed(10_000), read), MD);
    expect(short.valid).toBe('unknown');
    expect(short.summary).toMatch(/mm-aapl had not tripped when the window ended 500 ms after the injection, before the 2.00 s budget ran out \(heal later\)/);
  });

  it('ends the window at a kill issued after the fault: an order after the kill is not judged here', () => {
    const killAt: O = { type: 'lever-issued', lever: 'kill', path: 'rest', scope: 'platform', target: 'platform', mode: 'cancel', at: 3400 };
    const v = breakerTripped(build(roster(), before(), gap(), wentFlat(), killAt, rests('mm-aapl', 3500, 'after-kill'), after), MD);
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ windowEnd: 3400 });
  });

  it('is opt-in: runCheckers judges it only when the expect block names it', () => {
    const h = build(roster(), before(), gap(), wentFlat(), after);
    expect(runCheckers(h, {}).some((x) => x.checker === 'breaker-tripped')).toBe(false);
    expect(runCheckers(h, MD).find((x) => x.checker === 'breaker-tripped')?.valid).toBe(true);
  });
});
