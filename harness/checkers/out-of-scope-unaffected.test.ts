// out-of-scope-unaffected on literal histories: a tenant kill (tenant-a: mm-aapl, agent-aapl)
// leaves sa-msft (tenant-b) out of scope.
import { describe, expect, it } from 'vitest';
import { outOfScopeUnaffected } from './out-of-scope-unaffected.ts';
import { allPhase, build, effect, kill, observed, phase, release, roster } from './history-fixture.ts';

const tenantKill = () => kill(1000, 1100, { scope: 'tenant', target: 'tenant-a' });
/** One effect every `everyMs` for `bot`, received in [from, to). */
const trades = (bot: string, from: number, to: number, everyMs = 100) => {
  const out = [];
  for (let t = from; t < to; t += everyMs) out.push(effect(bot, 'order', t, t + 2));
  return out;
};
const inScopeStops = () => [phase('mm-aapl', 'Draining', 1200), phase('agent-aapl', 'Draining', 1200), phase('mm-aapl', 'Stopped', 1500), phase('agent-aapl', 'Stopped', 1500)];

describe('out-of-scope-unaffected', () => {
  it('passes when the out-of-scope bot stays Running and keeps trading at its pace until the release', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 6000), tenantKill(), inScopeStops(), release(4000), allPhase('Running', 4200), observed(6000)), {});
    expect(v.valid).toBe(true);
    expect(v.details.kept).toEqual([{ slug: 'sa-msft', baseline: 10, baselineMs: 1000, expected: 30, landed: 30 }]);
  });

  it('fails an over-broad stop: a fleet that treats the tenant kill as a platform kill drains the out-of-scope bot', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 1300), tenantKill(), inScopeStops(), phase('sa-msft', 'Draining', 1250), phase('sa-msft', 'Stopped', 1600), release(4000), allPhase('Running', 4200), observed(6000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/reached beyond its scope.*1 left Running before the release \(sa-msft → Draining after 250 ms\)/);
    expect(v.summary).toMatch(/1 stopped landing effects \(sa-msft 3 of ~30 expected\)/);
  });

  it('fails a bot that stays Running but lands nothing (e.g. the boundary rejects it)', () => {
    const v = outOfScopeUnaffected(build(roster(), allPhase('Running', 0), trades('sa-msft', 0, 1000), tenantKill(), inScopeStops(), release(4000), observed(6000)), {});
    expect(v.valid).toBe(false);
    expect(v.details.starved).toEqual([{ slug: 'sa-msft', baseline: 10, baselineMs: 1000, expected: 30, landed: 0 }]);
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
    expect(v.summary).toMatch(/1 expected fewer than 2 effects in the 1.00 s window, not judged by effects \(sa-msft ~1\)/);
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
