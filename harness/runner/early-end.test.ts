// The runner's watches: load.duration caps the whole case; a decision ends it only after it held
// for the grace, never while an observer is failing.
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../contracts/index.ts';
import { earlyEnd, DECISION_GRACE_MS } from './early-end.ts';
import type { Decision } from '../checkers/decided.ts';
import type { OpInput } from '../history/index.ts';

const sleepUntil = (t: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, Math.min(20, t - nowMs()))));
const decision: Decision = { outcome: 'failed', reason: 'time-to-draining failed for good', by: [{ checker: 'time-to-draining', valid: false, summary: 's' }] };

function watcher(o: { capAt?: number; judge?: () => Decision | null; failing?: string[] } = {}) {
  const ops: OpInput[] = [];
  let judged = 0;
  const w = earlyEnd({
    capAt: o.capAt ?? nowMs() + 60_000,
    maxDurationMs: 40_000,
    failing: () => o.failing ?? [],
    sleepUntil,
    emit: (op) => void ops.push(op),
    ...(o.judge ? { judgeSoFar: () => (judged++, o.judge!()) } : {}),
  });
  return { w, ops, judged: () => judged };
}

describe('watches', () => {
  it('load.duration ran out: the watch and every later one end, recorded once as duration-reached', async () => {
    const t = watcher({ capAt: nowMs() - 1 });
    expect(await t.w.watch('stop', nowMs() + 60_000, () => false)).toBe('cap');
    expect(await t.w.watch('restart', nowMs() + 60_000, () => false)).toBe('cap');
    expect(t.ops).toEqual([expect.objectContaining({ type: 'duration-reached', stage: 'stop', durationMs: 40_000 })]);
  });

  it('a condition met or the time up ends only that watch', async () => {
    const t = watcher();
    expect(await t.w.watch('stop', nowMs() + 60_000, () => true)).toBe('done');
    expect(await t.w.watch('release', nowMs() + 30, () => false)).toBe('timeout');
    expect(t.ops).toEqual([]);
  });

  it('a decision ends the case once it held for the grace, recorded as case-decided', async () => {
    const t = watcher({ judge: () => decision });
    expect(await t.w.watch('stop', nowMs() + 60_000, () => false)).toBe('decided');
    expect(t.ops[0].heldMs).toBeGreaterThanOrEqual(DECISION_GRACE_MS);
    expect(t.ops).toEqual([expect.objectContaining({ type: 'case-decided', stage: 'stop', outcome: 'failed', reason: decision.reason })]);
    expect(await t.w.watch('release', nowMs() + 60_000, () => false)).toBe('decided');
  });

  it('no decision is asked for while an observer is failing, and none without a judge (--observe-full)', async () => {
    const failing = watcher({ judge: () => decision, failing: ['phases'] });
    expect(await failing.w.watch('stop', nowMs() + 1500, () => false)).toBe('timeout');
    expect(failing.judged()).toBe(0);
    const full = watcher();
    expect(await full.w.watch('stop', nowMs() + 1500, () => false)).toBe('timeout');
    expect(full.ops).toEqual([]);
  });
});
