// releaseOnAbort: the release of an aborted case is recorded whatever it does — answers, fails, or hangs.
import { describe, expect, it } from 'vitest';
import { releaseOnAbort } from './run-case.ts';
import type { OpInput } from './emit.ts';

const recorded = () => {
  const ops: OpInput[] = [];
  return { ops, emit: (o: OpInput) => void ops.push(o) };
};

describe('releaseOnAbort', () => {
  it('records issued and done ok when the release answers', async () => {
    const r = recorded();
    await releaseOnAbort(async () => undefined, r.emit);
    expect(r.ops.map((o) => [o.type, o.phase])).toEqual([['lever-abort-release', 'issued'], ['lever-abort-release', 'done']]);
    expect(r.ops[1]).toMatchObject({ ok: true });
  });
  it('records the error when the release fails, without throwing', async () => {
    const r = recorded();
    await releaseOnAbort(async () => Promise.reject(new Error('killdrill: broker POST /resume answered 503')), r.emit);
    expect(r.ops[1]).toMatchObject({ ok: false, error: "killdrill: releasing the aborted case's kill failed: broker POST /resume answered 503" });
  });
  it('stops waiting for a release that hangs, and says to check the target', async () => {
    const r = recorded();
    await releaseOnAbort(() => new Promise(() => undefined), r.emit, 50);
    expect(r.ops[1]).toMatchObject({ ok: false });
    expect(String(r.ops[1].error)).toMatch(/did not answer within 0.05 s; check the target for a kill left engaged by this run/);
  });
});
