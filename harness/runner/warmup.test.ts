// load.warmup: a fleet not under load by the warm-up's end proves nothing (the case is errored).
import { describe, expect, it } from 'vitest';
import { warmupProblem } from './run-case.ts';

describe('load.warmup', () => {
  it('a fleet that sent nothing during the warm-up errors the case, saying what to do; a ledger that cannot be read does not', () => {
    expect(warmupProblem(0, false, 3000, '/tmp/d')).toBe("killdrill: no effect reached the venue during the 3000 ms warm-up, so the fleet was not under load and a kill would prove nothing; check the fleet (its bots' logs under /tmp/d) or lengthen load.warmup");
    expect(warmupProblem(12, false, 3000, '/tmp/d')).toBeNull();
    expect(warmupProblem(0, true, 3000, '/tmp/d')).toBeNull();
  });
});
