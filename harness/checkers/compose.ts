// Composition: false beats unknown beats true. A scenario passes when every checker is true, or —
// with `detects` — exactly the named checkers are false and every other is true. Unknown is never
// a pass: it means "not proven" and fails the scenario, with the reason.
import type { CheckerName } from './names.ts';
import type { Validity, Verdict } from './types.ts';

export function composeValidity(verdicts: Verdict[]): Validity {
  if (verdicts.some((v) => v.valid === false)) return false;
  if (verdicts.some((v) => v.valid === 'unknown')) return 'unknown';
  return true;
}

export interface Judgement {
  passed: boolean;
  /** Why it failed (empty when it passed). One line per problem. */
  reasons: string[];
}

export function judge(verdicts: Verdict[], detects?: CheckerName[]): Judgement {
  const reasons: string[] = [];
  const want = new Set(detects ?? []);
  for (const d of want) {
    if (!verdicts.some((v) => v.checker === d)) reasons.push(`${d}: expected to detect the bug but it was not run`);
  }
  for (const v of verdicts) {
    if (v.valid === 'unknown') reasons.push(`${v.checker}: not proven (unknown): ${v.summary}`);
    else if (want.has(v.checker) && v.valid === true) reasons.push(`${v.checker}: expected to fail (the incident is not reproduced) but passed: ${v.summary}`);
    else if (!want.has(v.checker) && v.valid === false) reasons.push(`${v.checker}: failed: ${v.summary}`);
  }
  return { passed: reasons.length === 0, reasons };
}
