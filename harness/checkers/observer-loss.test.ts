// An observer that failed to the end of the run makes every checker that needed its source unknown
// (never a pass); a failure it recovered from changes nothing; a false stays false; a crash is unknown.
import { describe, expect, it } from 'vitest';
import { CHECKERS, CHECKER_NAMES, runCheckers, type CheckerName, type Verdict } from './index.ts';
import { NEEDS, OBSERVER_SOURCES } from './needs.ts';
import { allPhase, build, effect, kill, observed, release, roster } from './history-fixture.ts';

const journal = (bot: string, key: string, at: number) => ({ type: 'journal', bot, key, kind: 'order', intentAt: at, outcome: 'landed', seq: null });
const status = (at: number) => ({ type: 'status', ok: true, haltLevel: 0, incident: null, engaged: ['kd:test:fleet:agents'], bootId: 'b1', at });
const failed = (source: string, from: number, to: number, recovered: boolean) => ({ type: 'observer-failed', source, error: `killdrill: venue GET /${source} answered 500`, from, to, recovered });

/** A run every checker passes: the agents fleet killed on the redis path, stopped, released, back. */
const passing = (...extra: Array<Record<string, unknown> & { type: string }>) =>
  build(
    { type: 'run-start', runId: 'r', scenario: 's', case: 'default', seed: 1, config: { keyPrefix: 'kd:test' } },
    roster(),
    allPhase('Running', 500),
    effect('agent-aapl', 'order', 600, 605, 'k-agent-1'),
    journal('agent-aapl', 'k-agent-1', 590),
    kill(1000, 1100, { path: 'redis', scope: 'fleet', target: 'agents' }),
    status(1200),
    allPhase('Draining', 1500),
    allPhase('Stopped', 2000),
    status(5000),
    release(10_000),
    allPhase('Running', 11_000),
    observed(20_000),
    ...extra,
    { type: 'journal-read', intents: 1, files: 1 },
  );

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

  for (const source of OBSERVER_SOURCES) {
    it(`an unrecovered ${source} failure makes exactly the checkers needing it unknown, with the source, error and range`, () => {
      const vs = byName(runCheckers(passing(failed(source, 4000, 20_000, false)), {}));
      const needing = CHECKER_NAMES.filter((n) => NEEDS[n]!.includes(source));
      expect(needing.length).toBeGreaterThan(0);
      for (const n of CHECKER_NAMES) {
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
    const h = passing(effect('agent-aapl', 'order', 3000, 3005, 'k-late'), journal('agent-aapl', 'k-late', 2990), failed('ledger', 4000, 20_000, false));
    const vs = byName(runCheckers(h, {}));
    expect(vs['post-flip-effects'].valid).toBe(false);
    expect(vs['journal-consistent'].valid).toBe('unknown');
  });

  it('a checker that throws is unknown, never a pass, and the others still run', () => {
    const crashing: Record<CheckerName, (typeof CHECKERS)[CheckerName]> = { ...CHECKERS, 'post-flip-effects': () => { throw new Error('boom'); } };
    const vs = byName(runCheckers(passing(), {}, [], crashing));
    expect(vs['post-flip-effects']).toMatchObject({ valid: 'unknown' });
    expect(vs['post-flip-effects'].summary).toMatch(/^killdrill: the checker crashed \(boom\); this is a harness bug/);
    expect(vs['time-to-stop'].valid).toBe(true);
  });
});
