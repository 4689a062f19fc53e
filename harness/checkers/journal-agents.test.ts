// journal-consistent's agent part (seed 004's clean diff) on literal histories of an agent run.
import { describe, expect, it } from 'vitest';
import { journalConsistent } from './journal-consistent.ts';
import { build, effect, kill, observed, roster } from './history-fixture.ts';

const BOT = 'agent-aapl';
const jr = { type: 'journal-read', intents: 0, files: 2 };
const plan = (step: number) => [1, 2].map((i) => ({ slot: `${step}.${i}`, tool: 'place-order', access: 'write', key: `run-1:s${step}.${i}` }));
const step = (n: number, at: number) => ({ type: 'agent-step', run_id: 'run-1', slug: BOT, worker: 'node-a.w1', pid: 1, step: n, plan: plan(n), at });
const done = (n: number, at: number) => ({ type: 'agent-step-done', run_id: 'run-1', slug: BOT, worker: 'node-a.w1', pid: 1, step: n, at });
const intent = (key: string, at: number, outcome: string | null, seq: number | null = null) => ({ type: 'journal', bot: BOT, key, kind: 'action', intentAt: at, outcome, seq });
const landed = (key: string, at: number, seq: number) => [effect(BOT, 'action', at, at + 5, key), intent(key, at, 'landed', seq)];

// Step 1 ran to its end; step 2 began, its first write landed, the kill came at 1100 before the second.
const run = () => [roster(), step(1, 100), landed('run-1:s1.1', 150, 1), landed('run-1:s1.2', 300, 2), done(1, 400), step(2, 900), landed('run-1:s2.1', 950, 3), kill(1000, 1100)];

describe('journal-consistent on an agent run journal', () => {
  it('passes: every landed write has its planned key; the pending one is to recover; the cut step\'s landed write is to compensate', () => {
    const v = journalConsistent(build(run(), observed(5000), jr), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/agent runs: 3 of 4 planned write\(s\) landed under their keys, 1 to recover from the plans, 1 landed in steps the kill cut short \(to compensate\)/);
    expect(v.details.agents).toMatchObject({
      runs: 1,
      toRecover: [{ run_id: 'run-1', slot: '2.2', key: 'run-1:s2.2' }],
      compensate: [{ run_id: 'run-1', slot: '2.1', key: 'run-1:s2.1', seq: expect.any(Number) }],
    });
  });

  it('fails: a landed effect of the agent under a key no plan names (a resume could not skip it)', () => {
    const v = journalConsistent(build(run(), landed('run-1:node-a.w1-17', 2000, 4), observed(5000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 landed agent effect\(s\) under a key no run plan names \(run-1:node-a\.w1-17 of agent-aapl\)/);
  });

  it('fails: an intent that did not land and is in no plan is not recoverable', () => {
    const v = journalConsistent(build(run(), intent('run-1:lost', 2000, 'rejected'), observed(5000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 agent intent\(s\) not landed and in no run plan \(run-1:lost\)/);
  });

  it('fails: a planned write journaled again after it landed', () => {
    const again = { type: 'journal', bot: BOT, key: 'run-1:s2.1', kind: 'action', intentAt: 950, outcome: 'landed', seq: 3, reintentsAt: [3000] };
    const v = journalConsistent(build(roster(), step(2, 900), effect(BOT, 'action', 950, 955, 'run-1:s2.1'), kill(1000, 1100), again, observed(5000), jr), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 planned agent write\(s\) journaled again after they landed \(run-1:s2\.1\)/);
  });

  it('has no agent part without a run journal (a bot fleet)', () => {
    const v = journalConsistent(build(roster(), landed('k1', 100, 1), observed(5000), jr), {});
    expect(v.valid).toBe(true);
    expect(v.details.agents).toBeUndefined();
  });
});
