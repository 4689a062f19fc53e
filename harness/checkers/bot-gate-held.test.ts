// bot-gate-held on literal histories: pass, fail (even when the boundary rejected), unknown.
import { describe, expect, it } from 'vitest';
import { botGateHeld } from './bot-gate-held.ts';
import { allPhase, build, effect, kill, observed, phase, release, roster } from './history-fixture.ts';

const intent = (bot: string, kind: string, intentAt: number, outcome: string | null = 'landed', key = `${bot}:${kind}:${intentAt}`) => ({ type: 'journal', bot, key, kind, intentAt, outcome, seq: null });
const read = { type: 'journal-read', intents: 0, files: 3 };
/** Kill issued 1000, engaged 1100; every bot Draining at 1020 (it heard first), Stopped at 1500. */
const stop = () => [roster(), allPhase('Running', 0), effect('mm-aapl', 'order', 500), kill(1000, 1100), allPhase('Draining', 1020), allPhase('Stopped', 1500)];
const before = [intent('mm-aapl', 'order', 500), intent('sa-msft', 'order', 600), intent('agent-aapl', 'action', 700)];

describe('bot-gate-held', () => {
  it('passes when no bot attempts a forbidden kind after its own Draining (cancels are the mode\'s work)', () => {
    const v = botGateHeld(build(stop(), observed(9000), before, intent('mm-aapl', 'cancel', 1030), intent('sa-msft', 'order', 1010), read), {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ attempts: 0, judgedBots: 3 });
  });

  it('fails on an attempt after the bot\'s own Draining even though the boundary rejected it, before engagedAt too', () => {
    const v = botGateHeld(build(stop(), observed(9000), before, intent('sa-msft', 'order', 1050, 'rejected'), intent('sa-msft', 'order', 1300, 'rejected'), intent('mm-aapl', 'order', 1200, 'rejected'), read), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ attempts: 3, byOutcome: { rejected: 3 }, perBot: { 'sa-msft': 2, 'mm-aapl': 1 } });
    expect(v.summary).toMatch(/3 attempt\(s\) the cancel mode forbids made by bots after their own Draining \(3 rejected; a rejection is the boundary's catch/);
    expect(v.summary).toMatch(/sa-msft@node-b ×2/);
  });

  it('judges every attempt under a key: a retry (reintentsAt) after the bot\'s own Draining fails, its first try before it does not', () => {
    const retried = { ...intent('agent-aapl', 'action', 900, 'landed'), reintentsAt: [1300] };
    const v = botGateHeld(build(stop(), observed(9000), before, retried, read), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ attempts: 1, retries: 1, perBot: { 'agent-aapl': 1 } });
  });

  it('is mode-aware: a cancel is a forbidden attempt in freeze', () => {
    const freeze = build(roster(), allPhase('Running', 0), kill(1000, 1100, { mode: 'freeze' }), allPhase('Draining', 1020), observed(9000), before, intent('mm-aapl', 'cancel', 1030), read);
    expect(botGateHeld(freeze, {}).valid).toBe(false);
  });

  it('a kill never confirmed: bots that failed closed on the outage may reopen when it ends; the same history with a confirmed kill fails', () => {
    // redis-down: the lever failed (503), the bots failed closed at 900 and resumed at 3000 when Redis came back.
    const outage = (killOps: unknown[]) => build(roster(), allPhase('Running', 0), killOps as never, allPhase('Draining', 900), allPhase('Stopped', 1200), allPhase('Running', 3000), observed(9000), before, intent('sa-msft', 'order', 3100), intent('mm-aapl', 'order', 3200), read);
    const failed = [{ type: 'lever-issued', lever: 'kill', path: 'rest', scope: 'platform', target: 'platform', mode: 'cancel', at: 1000 }, { type: 'lever-failed', lever: 'kill', error: '503', at: 1050 }];
    expect(botGateHeld(outage(failed), {}).valid).toBe(true);
    const v = botGateHeld(outage(kill(1000, 1100)), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ attempts: 2 });
  });

  it('places transitions by their own time, not by when they were recorded: a fail-closed dip before the kill reported late is not the kill\'s', () => {
    // Redis was unreachable 600–900: the dip's phases reach the harness only after the lever (recorded after kill()).
    const late = build(roster(), allPhase('Running', 0), kill(1000, 1100), allPhase('Draining', 600), allPhase('Running', 900), allPhase('Draining', 1020), allPhase('Stopped', 1500), observed(9000), before, intent('sa-msft', 'order', 950), intent('mm-aapl', 'order', 1010), read);
    expect(botGateHeld(late, {}).valid).toBe(true);
    const after = build(roster(), allPhase('Running', 0), kill(1000, 1100), allPhase('Draining', 600), allPhase('Running', 900), allPhase('Draining', 1020), allPhase('Stopped', 1500), observed(9000), before, intent('sa-msft', 'order', 1030), read);
    expect(botGateHeld(after, {}).valid).toBe(false);
  });

  it('a bot closed before the kill that reopened before the lever confirmed it (its flag store did not hold the kill yet) may act until its Draining for the kill', () => {
    const dip = (reopenAt: number, at: number) => build(roster(), allPhase('Running', 0), allPhase('Draining', 750), allPhase('Stopped', 800), kill(1000, 1100), allPhase('Running', reopenAt), allPhase('Draining', reopenAt + 40), allPhase('Stopped', 1500), observed(9000), before, intent('sa-msft', 'order', at), read);
    expect(botGateHeld(dip(1050, 1060), {}).valid).toBe(true);
    expect(botGateHeld(dip(1050, 1095), {}).valid).toBe(false); // after its own Draining (1090)
    const v = botGateHeld(dip(1150, 1160), {}); // reopened while the kill held: inside its window
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ attempts: 1, perBot: { 'sa-msft': 1 } });
  });

  it('counts a bot that resumed while the kill held, and stops counting at its own resume after the release', () => {
    const resumed = build(stop(), phase('sa-msft', 'Running', 3000), release(5000), allPhase('Running', 5010), observed(9000), before, intent('sa-msft', 'order', 3100), intent('mm-aapl', 'order', 5020), read);
    const v = botGateHeld(resumed, {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ attempts: 1, perBot: { 'sa-msft': 1 } });
  });

  it('ignores out-of-scope bots and reports in-scope bots that never left Running without judging them', () => {
    const h = build(
      roster(), allPhase('Running', 0), kill(1000, 1100, { scope: 'fleet', target: 'market-making' }), phase('mm-aapl', 'Draining', 1020), observed(9000),
      before, intent('sa-msft', 'order', 2000), read,
    );
    const v = botGateHeld(h, {});
    expect(v.valid).toBe(true);
    expect(v.details).toMatchObject({ inScope: 1, judgedBots: 1 });
  });

  it('passes, saying so, when phases were observed and no in-scope bot left Running (no gate had to hold)', () => {
    const never = botGateHeld(build(roster(), allPhase('Running', 0), kill(1000, 1100), observed(9000), before, intent('sa-msft', 'order', 2000), read), {});
    expect(never.valid).toBe(true);
    expect(never.summary).toMatch(/no in-scope bot left Running for the kill .*time-to-draining judges/);
  });

  it('is unknown when the journals were not read, hold no in-scope intent, or no phase was observed', () => {
    expect(botGateHeld(build(stop(), observed(9000), before), {}).valid).toBe('unknown');
    expect(botGateHeld(build(stop(), observed(9000), read), {}).summary).toMatch(/no intent of any in-scope bot/);
    expect(botGateHeld(build(roster(), observed(9000), before, read), {}).valid).toBe('unknown');
  });
});
