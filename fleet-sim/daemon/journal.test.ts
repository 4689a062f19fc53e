// The journal against the ledger: SIGKILL a daemon under load, restart it, and check that
// every landed effect had its intent on disk, keys are unique per effect, outcomes match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, testBot, waitFor, type TestFleet } from './test-fleet.ts';

const FAST = { hft: { tickMs: 10 }, standard: { tickMs: 10 }, agent: { tickMs: 10 }, paper: { tickMs: 10 } };

describe('journal', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet([testBot('mm-a', 'hft'), testBot('sa-a', 'standard'), testBot('ag-a', 'agent'), testBot('pp-a', 'paper')], { pollIntervalS: 0.5, classes: FAST });
  });
  afterAll(async () => t?.close());

  it('survives a SIGKILL: every ledger effect has an intent, no key landed twice', async () => {
    await waitFor('some load', async () => (await t.ledger()).length > 200);
    const d = t.procs.get('node-a/d1')!;
    d.child.kill('SIGKILL');
    await d.exited;
    await t.startDaemon('node-a', 'd1');
    await waitFor('load from the restarted daemon', async () => (await t.ledger()).length > 400);
    const d2 = t.procs.get('node-a/d1')!;
    d2.child.kill('SIGKILL');
    await d2.exited;
    const ledger = await t.ledger();
    const journal = t.journal();
    const intents = new Map(journal.filter((e) => e.type === 'intent').map((e) => [e.key, e]));
    const missing = ledger.filter((e) => !intents.has(e.key));
    expect(missing).toEqual([]);
    for (const e of ledger) {
      const i = intents.get(e.key)!;
      expect(i.bot).toBe(e.bot);
      expect(i.kind).toBe(e.kind);
      expect(i.at).toBe(e.dispatchedAt);
    }
    const counts = new Map<string, number>();
    for (const e of ledger) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
    expect([...counts].filter(([, c]) => c > 1)).toEqual([]);
    // Two boots → two distinct boot ids in the keys.
    expect(new Set(ledger.map((e) => e.key.split(':')[1])).size).toBe(2);
    // A landed outcome names the seq the venue gave it.
    const bySeq = new Map(ledger.map((e) => [e.seq, e.key]));
    const landed = journal.filter((e) => e.type === 'outcome' && e.status === 'landed');
    expect(landed.length).toBeGreaterThan(0);
    for (const o of landed) expect(bySeq.get(o.seq as number)).toBe(o.key);
    // Agent retries reuse the key of the failed attempt.
    const failedActions = journal.filter((e) => e.type === 'outcome' && e.status === 'rejected' && String(e.key).startsWith('ag-a'));
    const retriedLanded = failedActions.filter((f) => ledger.some((e) => e.key === f.key));
    expect(failedActions.length).toBeGreaterThan(0);
    expect(retriedLanded.length).toBeGreaterThan(0);
  });
});
