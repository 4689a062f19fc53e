// out-of-scope-unaffected on literal histories: a tenant kill (tenant-a: mm-aapl, agent-aapl)
// leaves sa-msft (tenant-b) out of scope.
import { describe, expect, it } from 'vitest';
import { outOfScopeUnaffected } from './out-of-scope-unaffected.ts';
import type { Verdict } from './types.ts';
import { allPhase, build, effect, kill, observed, phase, release, roster, ROSTER } from './history-fixture.ts';

const tenantKill = () => kill(1000, 1100, { scope: 'tenant', target: 'tenant-a' });
/** One effect every `everyMs` for `bot`, received in [from, to). */
const trades = (bot: string, from: number, to: number, everyMs = 100) => {
  const out = [];
  for (let t = from; t < to; t += everyMs) out.push(effect(bot, 'order', t, t + 2));
  return out;
};
/** The per-bot judgements of one list in a verdict's details. */
const judged = (v: Verdict, list: 'kept' | 'starved') => v.details[list] as Array<{ expected: number; landed: number; pValue: number }>;
const inScopeStops = () => [phase('mm-aapl', 'Draining', 1200), phase('agent-aapl', 'Draining', 1200), phase('mm-aapl', 'Stopped', 1500), phase('agent-aapl', 'Stopped', 1500)];

describe('out-of-scope-unaffected', () => {
  it('passes when the out-of-scope bot stays Running and keeps trading at its pace until the release', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 6000), tenantKill(), inScopeStops(), release(4000), allPhase('Running', 4200), observed(6000)), {});
    expect(v.valid).toBe(true);
    expect(v.details.kept).toEqual([{ slug: 'sa-msft', baseline: 10, baselineMs: 1000, expected: 30, landed: 30, pValue: 1 }]);
  });

  it('fails an over-broad stop: a fleet that treats the tenant kill as a platform kill drains the out-of-scope bot', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 1300), tenantKill(), inScopeStops(), phase('sa-msft', 'Draining', 1250), phase('sa-msft', 'Stopped', 1600), release(4000), allPhase('Running', 4200), observed(6000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/reached beyond its scope.*1 left Running before the release \(sa-msft → Draining after 250 ms\)/);
    // Its 3 effects of ~30 (all in the first 300 ms) are p ≈ 1.2e-4 at its pace, just above ALPHA: the phase is what condemns it.
    expect(v.details.starved).toEqual([]);
  });

  it('fails a bot that stays Running but lands nothing (e.g. the boundary rejects it)', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 1000), tenantKill(), inScopeStops(), release(4000), observed(6000)), {});
    expect(v.valid).toBe(false);
    expect(v.details.starved).toEqual([{ slug: 'sa-msft', baseline: 10, baselineMs: 1000, expected: 30, landed: 0, pValue: 9.54e-7 }]);
  });

  it('a bot whose window effects landed only after the last ledger read (journal says landed) is not judged by effects, not failed', () => {
    const late = [1, 2, 3].map((i) => ({ type: 'journal', bot: 'sa-msft', key: `late-${i}`, kind: 'action', intentAt: 1000 + i * 500, outcome: 'landed', seq: 900 + i }));
    const rejected = [1, 2, 3].map((i) => ({ type: 'journal', bot: 'sa-msft', key: `rej-${i}`, kind: 'action', intentAt: 1000 + i * 500, outcome: 'rejected', seq: null }));
    const base = () => [roster(), allPhase('Running', 0), trades('sa-msft', 0, 1000), tenantKill(), inScopeStops(), release(4000), observed(6000)];
    const v = outOfScopeUnaffected(build(base(), late), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/1 landed effects of the window only after the last ledger read \(journal\).*sa-msft 0 seen, 3 late/);
    expect(outOfScopeUnaffected(build(base(), rejected), {}).valid).toBe(false);
  });

  it('a transition after the release is not judged', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 6000), tenantKill(), inScopeStops(), release(4000), phase('sa-msft', 'Draining', 4500), observed(6000)), {});
    expect(v.valid).toBe(true);
  });

  it('is unknown when the window is too short for the bot to be judged by its effects, and says so', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 6000, 1000), tenantKill(), inScopeStops(), release(2000), observed(6000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/1 too few effects for the 1.00 s window to tell one by one \(landing none would not be below p 1e-6\) \(sa-msft ~1\)/);
  });

  it('a slow bot that landed 1 of ~4.2 by chance (seeds 3, 7, 10 of the sweep) is not called starved: too few to tell', () => {
    // An agent's pace: 6 effects in the 4 s before the lever, 1 in the 3 s window (P ≈ 0.12 at that pace).
    const slow = [0, 700, 1400, 2100, 2800, 3500].map((t) => effect('sa-msft', 'order', t, t + 2)).concat([effect('sa-msft', 'order', 5000, 5002)]);
    const k = kill(4000, 4100, { scope: 'tenant', target: 'tenant-a' });
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), slow, k, release(7000), observed(8000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.details.tooFewToJudge).toEqual([{ slug: 'sa-msft', baseline: 6, baselineMs: 4000, expected: 4.5, landed: 1, pValue: 0.124 }]);
    // A faster bot (12 effects in the 4 s before the lever) over a 12 s window: landing none would be p ≈ 6e-8 at its
    // pace, so it is judged: none fails; 4 of ~36 is under a quarter but p ≈ 4e-5, not below ALPHA (1e-6), so it is kept.
    const faster = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => effect('sa-msft', 'order', i * 333, i * 333 + 2));
    const longer = (landedAt: number[]) => build(roster(), allPhase('Running', 0), faster, landedAt.map((t) => effect('sa-msft', 'order', t, t + 2)), k, release(16000), observed(16000));
    expect(outOfScopeUnaffected(longer([]), {}).valid).toBe(false);
    const chance = outOfScopeUnaffected(longer([6000, 9000, 12000, 15000]), {});
    expect(chance.valid).toBe(true);
    expect(judged(chance, 'kept')[0]).toMatchObject({ expected: 36, landed: 4, pValue: 0.0000381 });
  });

  it('a starved agent run waiting on one call all window still fails, with the call named beside it (a stalled provider, not proof of the kill)', () => {
    const withRun = roster(ROSTER.map((b) => (b.slug === 'sa-msft' ? { ...b, run: 'run-sa' } : b)));
    const pace = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => effect('sa-msft', 'order', i * 333, i * 333 + 2));
    const k = kill(4000, 4100, { scope: 'tenant', target: 'tenant-a' });
    const stalled = { type: 'agent-call', worker: 'w', id: 'c1', run: 'run-sa', kind: 'llm', name: 'sim-model', capability: 'llm', status: 'stall', startedAt: 3900, endedAt: null, aborted: false, abortedAt: null, open: true };
    const v = outOfScopeUnaffected(build(withRun, allPhase('Running', 0), pace, k, stalled, release(16000), observed(16000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/sa-msft 0 of ~36 expected, p [0-9.e-]+ \[its llm call sim-model \(status stall\) was open from 100 ms before the lever to past the end of observation: a run waiting on a stalled call lands nothing, with or without a kill\]/);
    const plain = outOfScopeUnaffected(build(withRun, allPhase('Running', 0), pace, k, release(16000), observed(16000)), {});
    expect(plain.valid).toBe(false);
    expect(plain.summary).not.toMatch(/stalled/);
  });

  it('a fast bot whose pace merely dipped is kept; one landing under a quarter of its pace, improbably, is starved', () => {
    // 14 effects in the 1 s before the lever (share of the 3 s window 0.75): ~42 expected.
    const before = trades('sa-msft', 0, 1000, 1000 / 14);
    const windowOf = (n: number) => Array.from({ length: n }, (_, i) => effect('sa-msft', 'order', 1000 + (i + 0.5) * (3000 / n), 1000 + (i + 0.5) * (3000 / n) + 2));
    const run = (n: number) => outOfScopeUnaffected(build(roster(), allPhase('Running', 0), before, windowOf(n), tenantKill(), inScopeStops(), release(4000), observed(6000)), {});
    expect(run(25).valid).toBe(true); // 25 of ~42: slower, not starved (not under the quarter)
    const ten = run(10); // 10 of ~42: under a quarter, but p ≈ 5e-4 at its pace: not improbable enough
    expect(ten.valid).toBe(true);
    expect(judged(ten, 'kept')[0].pValue).toBe(0.000523);
    const two = run(2); // 2 of ~42: under a quarter and p below ALPHA
    expect(two.valid).toBe(false);
    expect(judged(two, 'starved')[0].pValue).toBeLessThan(1e-6);
  });

  it('slow bots that cannot be judged one by one are judged together: a boundary starving them all fails, their sum at pace passes', () => {
    // A fleet kill of the agents: mm-aapl and sa-msft out of scope, each 8 effects in the 4 s before the lever (too few alone for an 8 s window, enough together).
    const agentsKill = kill(4000, 4100, { scope: 'fleet', target: 'agents' });
    const before = ['mm-aapl', 'sa-msft'].flatMap((bot) => [0, 500, 1000, 1500, 2000, 2500, 3000, 3500].map((t) => effect(bot, 'order', t, t + 2)));
    const during = (bot: string, every: number) => Array.from({ length: Math.floor(8000 / every) }, (_, i) => effect(bot, 'order', 4000 + (i + 0.5) * every, 4000 + (i + 0.5) * every + 2));
    const run = (...window: ReturnType<typeof effect>[][]) => outOfScopeUnaffected(build(roster(), allPhase('Running', 0), before, window, agentsKill, phase('agent-aapl', 'Draining', 4200), release(12000), observed(12000)), {});
    const starved = run([effect('mm-aapl', 'order', 4300, 4302)]);
    expect(starved.valid).toBe(false);
    expect(starved.summary).toMatch(/the 2 bots too slow to judge one by one together stopped landing effects \(1 of ~32 expected, p [0-9.e-]+: mm-aapl, sa-msft\)/);
    const atPace = run(during('mm-aapl', 700), during('sa-msft', 700));
    expect(atPace.valid).toBe(true);
    expect(atPace.summary).toMatch(/0 kept landing effects at their pace, and the 2 too slow to judge one by one together/);
    // One bot starved, one at pace: the pool's sum (11 of ~32) is not under a quarter — a limit of pooling, said in the docs.
    expect(run(during('sa-msft', 700)).valid).toBe(true);
  });

  it('is unknown without a kill, a roster, phases, a ledger, or an out-of-scope bot Running at the lever', () => {
    expect(outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 3000), observed(6000)), {}).valid).toBe('unknown');
    expect(outOfScopeUnaffected(build(allPhase('Running', 0), trades('sa-msft', 0, 3000), tenantKill(), observed(6000)), {}).valid).toBe('unknown');
    expect(outOfScopeUnaffected(build(roster(), trades('sa-msft', 0, 3000), tenantKill(), observed(6000)), {}).valid).toBe('unknown');
    const noLedger = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), tenantKill(), inScopeStops(), observed(6000)), {});
    expect(noLedger.valid).toBe('unknown');
    expect(noLedger.summary).toMatch(/ledger recorded no effect/);
    const down = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), phase('sa-msft', 'Draining', 500), trades('sa-msft', 0, 500), tenantKill(), inScopeStops(), observed(6000)), {});
    expect(down.valid).toBe('unknown');
    expect(down.summary).toMatch(/no out-of-scope bot was Running.*sa-msft \[Draining\]/);
  });

  it('a platform kill has no out-of-scope bot: nothing to judge, said so', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 3000), kill(), allPhase('Draining', 1200), observed(6000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/none is out of scope/);
  });
});
