// readJournal: one journal op per key; a retry under the same key is kept as reintentsAt.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from './read-journal.ts';

describe('readJournal', () => {
  it('keeps the first intent time and every later intent of the same key (a retry)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-journal-'));
    try {
      const lines = [
        { type: 'intent', key: 'k1', bot: 'ag', kind: 'action', at: 100 },
        { type: 'outcome', key: 'k1', bot: 'ag', status: 'rejected', at: 105 },
        { type: 'intent', key: 'k2', bot: 'ag', kind: 'action', at: 200 },
        { type: 'intent', key: 'k1', bot: 'ag', kind: 'action', at: 500 },
        { type: 'outcome', key: 'k1', bot: 'ag', status: 'landed', seq: 7, at: 505 },
      ];
      writeFileSync(join(dir, 'node-a.agents-a.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      const ops: Array<Record<string, unknown>> = [];
      expect(readJournal(dir, (o) => void ops.push(o))).toEqual({ intents: 2, files: 1 });
      expect(ops).toEqual([
        { type: 'journal', bot: 'ag', key: 'k1', kind: 'action', intentAt: 100, outcome: 'landed', seq: 7, reintentsAt: [500] },
        { type: 'journal', bot: 'ag', key: 'k2', kind: 'action', intentAt: 200, outcome: null, seq: null },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
