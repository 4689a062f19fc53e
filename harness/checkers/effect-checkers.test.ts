// post-flip-effects and journal-consistent on literal histories.
import { describe, expect, it } from 'vitest';
import { postFlipEffects } from './post-flip-effects.ts';
import { journalConsistent } from './journal-consistent.ts';
import { allPhase, build, effect, kill, observed, release, roster } from './history-fixture.ts';

const base = () => [roster(), allPhase('Running', 0), effect('mm-aapl', 'order', 500)];

describe('post-flip-effects', () => {
  it('passes with no forbidden effect after engagedAt; cancels are allowed in cancel mode', () => {
    const v = postFlipEffects(build(base(), kill(1000, 1100), effect('mm-aapl', 'cancel', 1200), observed(9000)), {});
    expect(v.valid).toBe(true);
    expect(v.details.violations).toBe(0);
  });

  it('fails on an order dispatched after engagedAt, naming bot and host', () => {
    const v = postFlipEffects(build(base(), kill(1000, 1100), effect('sa-msft', 'order', 1300), effect('sa-msft', 'order', 2300), observed(9000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/2 effect\(s\) the cancel mode forbids/);
    expect(v.summary).toMatch(/sa-msft@node-b ×2/);
  });

  it('is mode-aware: close is allowed in flatten, nothing in freeze', () => {
    const ops = (mode: string) => build(base(), kill(1000, 1100, { mode }), effect('sa-msft', 'close', 1300), observed(9000));
    expect(postFlipEffects(ops('flatten'), {}).valid).toBe(true);
    expect(postFlipEffects(ops('cancel'), {}).valid).toBe(false);
    expect(postFlipEffects(build(base(), kill(1000, 1100, { mode: 'freeze' }), effect('sa-msft', 'cancel', 1300), observed(9000)), {}).valid).toBe(false);
  });

  it('a halt level implies its mode (level 4 = freeze)', () => {
    const h = build(base(), kill(1000, 1100, { path: 'broker-level', level: 4 }), effect('mm-aapl', 'cancel', 1300), observed(9000));
    expect(postFlipEffects(h, {}).details.mode).toBe('freeze');
    expect(postFlipEffects(h, {}).valid).toBe(false);
  });

  it('lists its in-scope bots and every violation by ledger seq, for the reports to show', () => {
    const h = build(roster(), allPhase('Running', 0), kill(1000, 1100, { scope: 'fleet', target: 'stat-arb' }), effect('sa-msft', 'order', 1300), effect('mm-aapl', 'order', 1400), effect('sa-msft', 'order', 1500), observed(9000));
    const v = postFlipEffects(h, {});
    const seqs = h.effects().filter((x) => x.bot === 'sa-msft').map((x) => x.seq);
    expect(v.details).toMatchObject({ inScopeBots: ['sa-msft'], violations: 2, violationSeqs: seqs });
  });

  it('counts in-flight-at-engaged and the propagation tail separately, never as violations', () => {
    const v = postFlipEffects(
      build(base(), kill(1000, 1100), effect('mm-aapl', 'order', 990, 1150), effect('mm-aapl', 'order', 1050, 1060), effect('mm-aapl', 'order', 1060, 1120), observed(9000)),
      {},
    );
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ violations: 0, inFlightAtEngaged: 2, propagationTail: 2 });
  });

  it('ignores out-of-scope bots and effects after the release was issued', () => {
    const v = postFlipEffects(
      build(base(), kill(1000, 1100, { scope: 'fleet', target: 'agents' }), effect('mm-aapl', 'order', 1300), release(5000), effect('agent-aapl', 'action', 5001), observed(9000)),
      {},
    );
    expect(v.valid).toBe(true);
  });

  it('is unknown when an effect was received before it was dispatched: the clocks disagree', () => {
    // sa-msft's daemon clock 8 ms ahead: its order reads as dispatched after engagedAt yet received before.
    const v = postFlipEffects(build(base(), kill(1000, 1100), effect('sa-msft', 'order', 1104, 1096), observed(9000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/clocks disagree: 1 effect\(s\) reached the venue before their bot dispatched them, the worst 8(\.0)? ?ms early \(sa-msft/);
  });

  it('honours expect.max', () => {
    const h = build(base(), kill(1000, 1100), effect('sa-msft', 'order', 1300), observed(9000));
    expect(postFlipEffects(h, { 'post-flip-effects': { max: 1 } }).valid).toBe(true);
  });

  it('is unknown without lever-engaged (a failed kill), or without any effect at all', () => {
    const failed = build(base(), kill(1000, null), { type: 'lever-failed', lever: 'kill', error: 'killdrill: broker answered 500', at: 1100 }, effect('sa-msft', 'order', 1300));
    const v = postFlipEffects(failed, {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/never confirmed.*500/);
    expect(postFlipEffects(build(roster(), kill(), observed(9000)), {}).valid).toBe('unknown');
  });
});

const journal = (key: string, outcome: string | null, seq: number | null = null, bot = 'mm-aapl', intentAt = 100) => ({ type: 'journal', bot, key, kind: 'order', intentAt, outcome, seq });
const jr = { type: 'journal-read', intents: 0, files: 1 };

describe('journal-consistent', () => {
  it('passes when every effect is journaled and landed intents are in the ledger', () => {
    const v = journalConsistent(build(effect('mm-aapl', 'order', 100, 105, 'a'), effect('mm-aapl', 'order', 200, 205, 'b'), observed(900), journal('a', 'landed', 1), journal('b', null), journal('c', 'rejected'), jr), {});
    expect(v.valid).toBe(true);
    expect(v.details.notLandedCount).toBe(1);
  });

  it('fails on an effect with no intent', () => {
    const v = journalConsistent(build(effect('mm-aapl', 'order', 100, 105, 'a'), effect('sa-msft', 'order', 100, 105, 'x'), observed(900), journal('a', 'landed'), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/no journal intent \(x of sa-msft\)/);
  });

  it('fails on a key that landed twice', () => {
    const v = journalConsistent(build(effect('mm-aapl', 'order', 100, 105, 'a'), effect('mm-aapl', 'order', 300, 305, 'a'), observed(900), journal('a', 'landed'), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/landed more than once \(a ×2\)/);
  });

  it('fails when the journal says landed but the ledger (read past that seq) does not have it', () => {
    const v = journalConsistent(build(effect('mm-aapl', 'order', 100, 105, 'a'), observed(900), journal('a', 'landed', 1), journal('b', 'landed', 0), jr), {});
    expect(v.valid).toBe(false);
  });

  it('does not judge an effect that landed after the ledger was last read', () => {
    const e = effect('mm-aapl', 'order', 100, 105, 'a');
    const v = journalConsistent(build(e, observed(900), journal('a', 'landed', e.seq as number), journal('late', 'landed', 10_000), journal('late2', null, null, 'mm-aapl', 950), jr), {});
    expect(v.valid).toBe(true);
    expect(v.details.notJudged).toBe(2);
  });

  it('fails when the journal says rejected but the effect landed', () => {
    const v = journalConsistent(build(effect('mm-aapl', 'order', 100, 105, 'a'), observed(900), journal('a', 'rejected'), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/says rejected did land/);
  });

  it('is unknown when the journals were not read, or when there is nothing to compare', () => {
    expect(journalConsistent(build(effect('mm-aapl', 'order', 100, 105, 'a'), journal('a', 'landed')), {}).valid).toBe('unknown');
    expect(journalConsistent(build(jr), {}).valid).toBe('unknown');
  });
});
