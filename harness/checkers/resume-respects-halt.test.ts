// resume-respects-halt on literal histories: the run journal's ops as the harness reads them.
import { describe, expect, it } from 'vitest';
import { resumeExercised, resumeRespectsHalt } from './resume-respects-halt.ts';
import { runCheckers } from './index.ts';
import { build, effect, kill, observed, release, roster } from './history-fixture.ts';

const BOT = 'agent-aapl';
const jr = { type: 'journal-read', intents: 0, files: 2 };
const plan = (step: number, keys = [`run-1:s${step}.1`, `run-1:s${step}.2`]) => keys.map((key, i) => ({ slot: `${step}.${i + 1}`, tool: 'place-order', access: 'write', key }));
const step = (n: number, at: number, o: Record<string, unknown> = {}) => ({ type: 'agent-step', run_id: 'run-1', slug: BOT, worker: 'node-a.w1', pid: 2, step: n, plan: plan(n), at, ...o });
const resume = (at: number, o: Record<string, unknown> = {}) => ({
  type: 'agent-resume', run_id: 'run-1', slug: BOT, worker: 'node-a.w1', pid: 2, previousPid: 1, step: 3, reenters: true, halted: true, landed: ['run-1:s3.1'], pending: ['run-1:s3.2'], at, ...o,
});
const landed = (key: string, at: number) => [effect(BOT, 'action', at, at + 5, key), { type: 'journal', bot: BOT, key, kind: 'action', intentAt: at, outcome: 'landed', seq: 1 }];
const skip = (at: number) => ({ type: 'agent-skip', run_id: 'run-1', slug: BOT, step: 3, slot: '3.1', key: 'run-1:s3.1', pid: 2, at });

// Step 3 began (pid 1), its first write landed, the kill came, the worker died; pid 2 resumes it halted at 2000.
const before = () => [roster(), step(3, 900, { pid: 1 }), landed('run-1:s3.1', 950), kill(1000, 1100)];
// The release at 5000; the step re-entered, the landed write skipped, the pending one landed.
const after = () => [release(5000), step(3, 5100, { resumed: true }), skip(5110), landed('run-1:s3.2', 5200), observed(9000), jr];

describe('resume-respects-halt', () => {
  it('passes: resumed halted, nothing until the release, then the same step with the landed write skipped', () => {
    const v = resumeRespectsHalt(build(before(), resume(2000), after()), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/1 run\(s\) resumed while halted did nothing until the release, each resumed from its journal after the release; 1 landed effect\(s\) skipped, none landed twice/);
    expect(v.details).toMatchObject({ judged: [{ run_id: 'run-1', step: 3, landed: 1, pending: 1, resumedAt: 5100 }], repeated: [] });
  });

  it('fails: the resumed run re-runs the landed write after the release (the LangGraph re-run)', () => {
    const v = resumeRespectsHalt(build(before(), resume(2000), release(5000), step(3, 5100, { resumed: true }), landed('run-1:s3.1', 5150), landed('run-1:s3.2', 5200), observed(9000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 planned effect\(s\) landed more than once \(run-1 3\.1 ×2\)/);
    expect(v.details.repeated).toEqual([{ slot: 'run-1 3.1', times: 2, keys: ['run-1:s3.1'], seqs: expect.any(Array) }]);
  });

  it('fails: a landed write dispatched again after the release, even with its second landing past the ledger\'s last read', () => {
    const again = { type: 'journal', bot: BOT, key: 'run-1:s3.1', kind: 'action', intentAt: 950, outcome: 'landed', seq: 1, reintentsAt: [5150] };
    const v = resumeRespectsHalt(build(roster(), step(3, 900, { pid: 1 }), effect(BOT, 'action', 950, 955, 'run-1:s3.1'), kill(1000, 1100), resume(2000), release(5000), step(3, 5100, { resumed: true }), again, observed(9000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 planned write\(s\) dispatched again after they had landed \(run-1:s3\.1 4195 ms after\)/);
    expect(v.details.repeated).toEqual([]);
  });

  it('fails: a re-run under a fresh key still lands the same slot twice', () => {
    const rerun = step(3, 5100, { resumed: true, plan: plan(3, ['run-1:call-17', 'run-1:call-18']) });
    const v = resumeRespectsHalt(build(before(), resume(2000), release(5000), rerun, landed('run-1:call-17', 5150), observed(9000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.details.repeated).toMatchObject([{ slot: 'run-1 3.1', times: 2, keys: ['run-1:s3.1', 'run-1:call-17'] }]);
  });

  it('fails: resumed as not halted while the kill was engaged, and stepping', () => {
    const v = resumeRespectsHalt(build(before(), resume(2000, { halted: false }), step(3, 2010, { resumed: true }), landed('run-1:s3.2', 2100), after()), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 run\(s\) resumed as not halted while their scope was \(run-1 on node-a\.w1\)/);
    expect(v.summary).toMatch(/2 action\(s\) of a run resumed while halted, before the release \(run-1: step 3 began, run-1: effect run-1:s3\.2 dispatched\)/);
  });

  it('fails: after the release it starts a new step instead of resuming from the journal', () => {
    const v = resumeRespectsHalt(build(before(), resume(2000), release(5000), step(4, 5100), observed(9000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/did not resume from the journal after the release \(run-1 began step 4, not 3\)/);
  });

  it('judges a release seen by the worker before the harness confirmed it as after the release (window ends at issuedAt)', () => {
    // release(5000) is confirmed at 5050; the worker stepped at 5020.
    const v = resumeRespectsHalt(build(before(), resume(2000), release(5000), step(3, 5020, { resumed: true }), skip(5021), observed(9000), jr), {});
    expect(v.valid).toBe(true);
  });

  it('is unknown without the journals, without any resume, or with no resume while halted', () => {
    expect(resumeRespectsHalt(build(before(), resume(2000), release(5000), observed(9000)), {}).summary).toMatch(/journals were not read/);
    expect(resumeRespectsHalt(build(before(), release(5000), observed(9000), jr), {}).summary).toMatch(/no agent run was resumed/);
    const early = resumeRespectsHalt(build(roster(), step(3, 900, { pid: 1 }), resume(950, { halted: false }), kill(1000, 1100), release(5000), observed(9000), jr), {});
    expect(early.valid).toBe('unknown');
    expect(early.summary).toMatch(/none while its scope was halted/);
  });

  it('is unknown when the watch ended before the halted run made a step after the release', () => {
    const v = resumeRespectsHalt(build(before(), resume(2000), release(5000), observed(9000), jr), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/stopped watching before 1 run\(s\)/);
  });

  it('runs unnamed only when a resume came while the kill may have held the run (or said halted)', () => {
    const names = (h: ReturnType<typeof build>) => runCheckers(h, {}).map((v) => v.checker);
    expect(resumeExercised(build(before(), resume(2000), after()))).toBe(true);
    expect(names(build(before(), resume(2000), after()))).toContain('resume-respects-halt');
    // A worker restarted before the kill: its resume is not the halt's business.
    const early = build(roster(), step(3, 900, { pid: 1 }), resume(950, { halted: false }), kill(1000, 1100), release(5000), observed(9000), jr);
    expect(names(early)).not.toContain('resume-respects-halt');
    expect(runCheckers(early, { 'resume-respects-halt': {} }).find((v) => v.checker === 'resume-respects-halt')?.valid).toBe('unknown');
  });
});
