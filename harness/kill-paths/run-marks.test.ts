// Run marks: the reason names the run; a label is a valid Kubernetes label value, distinct per run.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leverReason, runLabel, runTag } from './run-marks.ts';

const LABEL = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)$/;

describe('run marks', () => {
  it('the reason carries the whole run id, the scenario and the case', () => {
    expect(leverReason('20261202T071226-path-rest-ab12cd', 'path-rest', 'kill.scope=bot')).toBe('killdrill run 20261202T071226-path-rest-ab12cd: path-rest [kill.scope=bot]');
    expect(leverReason('r1', 's', 'default')).toBe('killdrill run r1: s');
  });

  it('a short run id is its own label; a long one is cut to 63 characters, still valid and still distinct', () => {
    expect(runLabel('20261202T071226-path-rest-ab12cd')).toBe('20261202T071226-path-rest-ab12cd');
    const long = `20261202T071226-${'path-rest-scopes-kill.scope-capability-'.repeat(3)}4b20cc`;
    const other = long.replace('capability-path', 'capability-pAth');
    expect(runLabel(long)).toMatch(LABEL);
    expect(runLabel(long).length).toBeLessThanOrEqual(63);
    expect(runLabel(long).endsWith('4b20cc')).toBe(true);
    expect(runLabel(long)).not.toBe(runLabel(other));
  });

  it('any run id gives a valid label value (property)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 200 }).filter((s) => /[A-Za-z0-9]/.test(s)), (id) => LABEL.test(runLabel(id))));
    expect(() => runLabel('')).toThrow(/run id/);
  });

  it('the tag is 8 hex characters and differs between runs', () => {
    expect(runTag('a')).toMatch(/^[0-9a-f]{8}$/);
    expect(runTag('a')).not.toBe(runTag('b'));
  });
});
