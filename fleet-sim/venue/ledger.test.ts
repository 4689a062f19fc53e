import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.ts';
import type { EffectRequest } from '../gateway/ndjson.ts';

const req = (i: number): EffectRequest => ({ id: i, key: `k-${i}`, bot: 'mm-a', fleet: 'f', tenant: 't', group: 'bots', asset: 'AAPL', capability: 'c', run: 'r', kind: 'order', side: 'buy', qty: i, dispatchedAt: 1000 + i });

describe('Ledger (pages read back from the file)', () => {
  it('pages in order from any seq, with next; unicode keeps byte offsets right', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kd-ledger-')), 'ledger.jsonl');
    const l = new Ledger(file);
    for (let i = 1; i <= 25; i++) l.append({ ...req(i), key: i === 3 ? 'ключ-€' : `k-${i}` }, 2000 + i);
    l.flush();
    expect(l.lastSeq).toBe(25);
    const p1 = l.page(0, 10);
    expect(p1.effects.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(p1.next).toBe(10);
    expect(p1.effects[2].key).toBe('ключ-€');
    expect(p1.effects[3]).toMatchObject({ seq: 4, key: 'k-4', qty: 4, receivedAt: 2004, dispatchedAt: 1004 });
    expect(l.page(20, 10).effects.map((e) => e.seq)).toEqual([21, 22, 23, 24, 25]);
    expect(l.page(25, 10)).toEqual({ effects: [], next: 25 });
    expect(l.page(99, 10)).toEqual({ effects: [], next: 99 });
    // Appended but not yet flushed: a page still sees it.
    l.append(req(26), 3000);
    expect(l.page(25, 10).effects.map((e) => e.key)).toEqual(['k-26']);
    l.close();
  });

  it('after a kill mid-write: the torn line is dropped, the rest reloads and new effects follow', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kd-ledger-')), 'ledger.jsonl');
    const a = new Ledger(file);
    for (let i = 1; i <= 3; i++) a.append(req(i), 2000 + i);
    a.close();
    appendFileSync(file, '{"seq":4,"key":"k-4","bot":"mm'); // torn, no newline
    const b = new Ledger(file);
    expect(b.lastSeq).toBe(3);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    b.append(req(4), 2004);
    b.flush();
    expect(b.page(0, 10).effects.map((e) => `${e.seq}:${e.key}`)).toEqual(['1:k-1', '2:k-2', '3:k-3', '4:k-4']);
    expect(b.page(2, 1)).toMatchObject({ effects: [{ seq: 3 }], next: 3 });
    b.close();
  });
});
