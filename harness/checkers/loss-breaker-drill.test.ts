// breaker-tripped with breaker consecutive-losses, on literal histories: the harness's own FIFO P&L
// says when a bot's third losing close in a row came; the fleet must journal the trip and land no
// order of it until the cooldown or a winning close. Passes, fails (no trip journaled, orders landed
// while tripped, a trip without the losses) and unknown (no price, nothing drilled, no `losses`).
import { describe, expect, it } from 'vitest';
import { breakerTripped } from './breaker-tripped.ts';
import { lossTrips, realizedPnl } from './loss-breaker-drill.ts';
import { build, observed, roster } from './history-fixture.ts';
import type { Expectations } from './types.ts';
import type { BookEffect } from './venue-book.ts';

type O = Record<string, unknown> & { type: string };
const CL: Expectations = { 'breaker-tripped': { breaker: 'consecutive-losses', losses: 3, cooldownS: 2, budgetS: 0.5 } };
const read: O = { type: 'journal-read', intents: 4, files: 2 };
const adverse = (at = 1000): O => ({ type: 'fault-injected', id: 'adverse-fills-1', kind: 'adverse-fills', params: { assets: ['MSFT'] }, at });
let seq = 0;
const fill = (bot: string, side: 'buy' | 'sell', qty: number, price: number | undefined, at: number): O => ({
  type: 'effect', seq: ++seq, key: `${bot}-${seq}`, bot, kind: 'order', dispatchedAt: at - 3, receivedAt: at, book: 'fill', side, qty, orderType: 'market', ...(price === undefined ? {} : { price }),
});
/** A round trip of sa-msft that loses 2 a share (bought 101, sold 99), its close landing at `at`. */
const losing = (at: number): O[] => [fill('sa-msft', 'buy', 1, 101, at - 50), fill('sa-msft', 'sell', 1, 99, at)];
const tripped = (at: number, bot = 'sa-msft'): O => ({ type: 'breaker', bot, asset: 'MSFT', breaker: 'consecutive-losses', event: 'tripped', at, detail: '3 consecutive losing closes', losses: 3, host: 'gateway', daemon: 'gateway', pid: 9 });
// The ledger read on until 9 s: a later effect of another bot (the ledger's horizon, loss-breaker-drill.ts).
const tail: O = { type: 'effect', seq: 10_000, key: 'mm-aapl-tail', bot: 'mm-aapl', kind: 'cancel', dispatchedAt: 8995, receivedAt: 9000, book: 'not-open', orderKey: 'x' };
const end = [tail, observed(10_000), read];

describe('breaker-tripped: consecutive-losses', () => {
  it('computes FIFO P&L: closing events and their sign; trips at the Nth loss, ends at the cooldown or a win', () => {
    const lots: Array<{ qty: number; price: number }> = [];
    expect(realizedPnl(lots, 'buy', 2, 100)).toBeNull();
    expect(realizedPnl(lots, 'sell', 3, 98)).toBeCloseTo(-4); // closes 2 at −2, opens a short of 1 at 98
    expect(lots).toEqual([{ qty: -1, price: 98 }]);
    expect(realizedPnl(lots, 'buy', 1, 97)).toBeCloseTo(1);
    const e = (side: 'buy' | 'sell', price: number, at: number) => fill('sa-msft', side, 1, price, at) as unknown as BookEffect;
    const fills = [e('buy', 101, 0), e('sell', 99, 1), e('buy', 101, 2), e('sell', 99, 3), e('buy', 101, 4), e('sell', 99, 5), e('buy', 100, 6), e('sell', 102, 7)];
    expect(lossTrips(fills, 3, 1000, 10_000, () => 'MSFT')).toEqual([expect.objectContaining({ bot: 'sa-msft', at: 5, until: 7, endedBy: 'win' })]);
    expect(lossTrips(fills.slice(0, 6), 3, 1000, 10_000, () => 'MSFT')).toEqual([expect.objectContaining({ at: 5, until: 1005, endedBy: 'cooldown' })]);
  });

  it('passes: the third losing close after the fault is journaled at once and no order of the bot lands until the cooldown ends', () => {
    const v = breakerTripped(build(roster(), adverse(), losing(1200), losing(1400), losing(1600), tripped(1600), fill('sa-msft', 'buy', 1, 100, 1900), fill('sa-msft', 'buy', 1, 100, 3700), end), CL);
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/all 1 consecutive-losses trip\(s\) the ledger's FIFO P&L calls for \(1 trip\(s\) of 1 bot\(s\) on MSFT after the adverse-fills\) were journaled within 500 ms/);
    expect(v.details).toMatchObject({ trips: 1, drilled: 1, perTrip: [{ bot: 'sa-msft', at: 1600, journaledAt: 1600, ordersLanded: [], problem: null }] });
  });

  it('fails a gate that refuses nothing: orders of the tripped bot landed, listed with their lag', () => {
    const v = breakerTripped(build(roster(), adverse(), losing(1200), losing(1400), losing(1600), tripped(1600), fill('sa-msft', 'buy', 1, 100, 2300), end), CL);
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/sa-msft had 1 order\(s\) land while it should have been refused \(sa-msft-\d+\), up to 700 ms after the trip/);
  });

  it('fails a breaker that never trips (or says nothing), and one that trips without the losses', () => {
    const silent = breakerTripped(build(roster(), adverse(), losing(1200), losing(1400), losing(1600), end), CL);
    expect(silent.valid).toBe(false);
    expect(silent.summary).toMatch(/sa-msft journaled no consecutive-losses trip within 500 ms of the close that made 3 losses in a row/);
    const early = breakerTripped(build(roster(), adverse(), losing(1200), losing(1400), tripped(1400), losing(1600), tripped(1600), end), CL);
    expect(early.valid).toBe(false);
    expect(early.summary).toMatch(/1 consecutive-losses trip\(s\) journaled without 3 losing closes in a row by the ledger's FIFO P&L within 500 ms before: sa-msft/);
  });

  it("does not judge a trip journaled after the ledger's last read (its fill is not in the history)", () => {
    const v = breakerTripped(build(roster(), adverse(), losing(1200), losing(1400), losing(1600), tripped(1600), fill('sa-mm', 'buy', 1, 100, 3000), tripped(3500), observed(10_000), read), CL);
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/1 journaled after the ledger's last read, not judged/);
  });

  it('is unknown without fill prices, without N in the expectations, and when no bot on the assets reached N losses after the fault', () => {
    const bare = breakerTripped(build(roster(), adverse(), fill('sa-msft', 'buy', 1, undefined, 1200), end), CL);
    expect(bare.valid).toBe('unknown');
    expect(bare.summary).toMatch(/1 fill\(s\) carry no price/);
    const noN = breakerTripped(build(roster(), adverse(), losing(1200), end), { 'breaker-tripped': { breaker: 'consecutive-losses' } });
    expect(noN.valid).toBe('unknown');
    expect(noN.summary).toMatch(/losses is not set/);
    // Three losses before the fault, journaled and held: judged (it passes) but not a drill of the fault.
    const before = breakerTripped(build(roster(), losing(200), losing(400), losing(600), tripped(600), adverse(5000), losing(5200), end), CL);
    expect(before.valid).toBe('unknown');
    expect(before.summary).toMatch(/no bot on MSFT reached 3 losing closes in a row after the adverse-fills/);
  });
});
