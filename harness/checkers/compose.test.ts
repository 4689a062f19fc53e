import { describe, expect, it } from 'vitest';
import { composeValidity, judge } from './compose.ts';
import { runCheckers, CHECKER_NAMES, OPT_IN } from './index.ts';
import type { Verdict } from './types.ts';
import { build } from './history-fixture.ts';

const v = (checker: Verdict['checker'], valid: Verdict['valid']): Verdict => ({ checker, valid, summary: `${checker} said ${valid}`, details: {} });

describe('compose', () => {
  it('false beats unknown beats true', () => {
    expect(composeValidity([v('time-to-stop', true), v('time-to-draining', 'unknown'), v('post-flip-effects', false)])).toBe(false);
    expect(composeValidity([v('time-to-stop', true), v('time-to-draining', 'unknown')])).toBe('unknown');
    expect(composeValidity([v('time-to-stop', true)])).toBe(true);
  });

  it('without detects, passes only when all are true; unknown fails with its reason', () => {
    expect(judge([v('time-to-stop', true), v('post-flip-effects', true)]).passed).toBe(true);
    const j = judge([v('time-to-stop', true), v('post-flip-effects', 'unknown')]);
    expect(j.passed).toBe(false);
    expect(j.reasons).toEqual(['post-flip-effects: not proven (unknown): post-flip-effects said unknown']);
  });

  it('with detects, passes exactly when the named ones fail and the others pass', () => {
    expect(judge([v('time-to-stop', false), v('post-flip-effects', true)], ['time-to-stop']).passed).toBe(true);
    const notReproduced = judge([v('time-to-stop', true), v('post-flip-effects', true)], ['time-to-stop']);
    expect(notReproduced.passed).toBe(false);
    expect(notReproduced.reasons[0]).toMatch(/expected to fail \(the incident is not reproduced\)/);
    const wrongReason = judge([v('time-to-stop', false), v('post-flip-effects', false)], ['time-to-stop']);
    expect(wrongReason.passed).toBe(false);
    expect(wrongReason.reasons).toEqual(['post-flip-effects: failed: post-flip-effects said false']);
    expect(judge([v('time-to-stop', 'unknown')], ['time-to-stop']).passed).toBe(false);
    expect(judge([v('post-flip-effects', true)], ['time-to-stop']).reasons[0]).toMatch(/not run/);
  });

  it('runCheckers runs every checker (minus skipped) and an empty history proves nothing', () => {
    const verdicts = runCheckers(build(), {}, ['journal-consistent']);
    expect(verdicts.map((x) => x.checker)).toEqual(CHECKER_NAMES.filter((n) => n !== 'journal-consistent' && !OPT_IN.includes(n)));
    expect(verdicts.every((x) => x.valid === 'unknown')).toBe(true);
  });
});
