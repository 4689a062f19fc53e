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

describe('workingOrdersFromJournal', () => {
  it('limit orders that landed or never got an outcome, less those a landed cancel took back', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { workingOrdersFromJournal } = await import('./journal.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'kd-journal-')), 'j.jsonl');
    const l = (o: object) => JSON.stringify(o);
    writeFileSync(file, [
      l({ type: 'intent', key: 'o1', bot: 'mm', kind: 'order', orderType: 'limit', at: 1 }), l({ type: 'outcome', key: 'o1', bot: 'mm', status: 'landed', at: 2 }),
      l({ type: 'intent', key: 'o2', bot: 'mm', kind: 'order', orderType: 'limit', at: 3 }), // lost: no outcome
      l({ type: 'intent', key: 'o3', bot: 'mm', kind: 'order', orderType: 'limit', at: 4 }), l({ type: 'outcome', key: 'o3', bot: 'mm', status: 'rejected', at: 5 }),
      l({ type: 'intent', key: 'o4', bot: 'mm', kind: 'order', orderType: 'limit', at: 6 }), l({ type: 'outcome', key: 'o4', bot: 'mm', status: 'landed', at: 7 }),
      l({ type: 'intent', key: 'c4', bot: 'mm', kind: 'cancel', orderKey: 'o4', at: 8 }), l({ type: 'outcome', key: 'c4', bot: 'mm', status: 'landed', at: 9 }),
      l({ type: 'intent', key: 'c1', bot: 'mm', kind: 'cancel', orderKey: 'o1', at: 10 }), l({ type: 'outcome', key: 'c1', bot: 'mm', status: 'failed', at: 11 }),
      l({ type: 'intent', key: 'm1', bot: 'sa', kind: 'order', orderType: 'market', at: 12 }), l({ type: 'outcome', key: 'm1', bot: 'sa', status: 'landed', at: 13 }),
      '{"type":"intent","key":"torn',
    ].join('\n'));
    expect(Object.fromEntries(workingOrdersFromJournal(file))).toEqual({ mm: ['o1', 'o2'] });
    expect(workingOrdersFromJournal(join(tmpdir(), 'kd-no-such-journal.jsonl')).size).toBe(0);
  });
});

describe('positionsFromJournal', () => {
  it('the landed fills (market orders, closes) with their side and qty; fills without an outcome are uncertain, limit orders and rejects move nothing', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { positionsFromJournal } = await import('./journal.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'kd-journal-')), 'j.jsonl');
    const l = (o: object) => JSON.stringify(o);
    const landed = (key: string, bot: string) => l({ type: 'outcome', key, bot, status: 'landed', at: 0 });
    writeFileSync(file, [
      l({ type: 'intent', key: 'm1', bot: 'sa', kind: 'order', orderType: 'market', side: 'buy', qty: 7, at: 1 }), landed('m1', 'sa'),
      l({ type: 'intent', key: 'm2', bot: 'sa', kind: 'order', orderType: 'market', side: 'sell', qty: 3, at: 2 }), landed('m2', 'sa'),
      l({ type: 'intent', key: 'm3', bot: 'sa', kind: 'order', orderType: 'market', side: 'buy', qty: 100, at: 3 }), l({ type: 'outcome', key: 'm3', bot: 'sa', status: 'rejected', at: 4 }),
      l({ type: 'intent', key: 'm4', bot: 'sa', kind: 'order', orderType: 'market', side: 'buy', qty: 50, at: 5 }), // lost: no outcome
      l({ type: 'intent', key: 'p1', bot: 'pp', kind: 'order', orderType: 'market', side: 'sell', qty: 40, at: 6 }), landed('p1', 'pp'),
      l({ type: 'intent', key: 'c1', bot: 'pp', kind: 'close', side: 'buy', qty: 40, at: 7 }), landed('c1', 'pp'),
      l({ type: 'intent', key: 'o1', bot: 'mm', kind: 'order', orderType: 'limit', side: 'buy', qty: 9, at: 8 }), landed('o1', 'mm'),
      l({ type: 'intent', key: 'old', bot: 'sa', kind: 'order', orderType: 'market', at: 9 }), landed('old', 'sa'), // written before side/qty: unusable
      '{"type":"intent","key":"torn',
    ].join('\n'));
    const { net, uncertain } = positionsFromJournal(file);
    expect(Object.fromEntries(net)).toEqual({ sa: 4, pp: 0 });
    expect(Object.fromEntries(uncertain)).toEqual({ sa: 1 });
    expect(positionsFromJournal(join(tmpdir(), 'kd-no-such-journal.jsonl')).net.size).toBe(0);
  });
});
