// The run journal's reading side (run-journal.ts): where each run stands for a resume, and which
// keys the effect journal says landed; a line torn by a SIGKILL is skipped.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { landedKeys, resumePoints, RunJournal, slotKey } from './run-journal.ts';

const who = { slug: 'agent-a', worker: 'h.w1', pid: 7 };
const plan = (step: number) => [{ slot: `${step}.1`, tool: 'place-order', access: 'write' as const, key: slotKey('r1', `${step}.1`) }, { slot: `${step}.2`, tool: 'get-quote', access: 'read' as const }];

describe('run journal', () => {
  it('gives each run its last step begun, done or to re-enter, and the child its parent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-runj-'));
    const j = new RunJournal(dir, 'h', 'w1');
    j.write({ type: 'agent-step', run_id: 'r1', ...who, at: 1, step: 1, plan: plan(1) });
    j.write({ type: 'agent-step-done', run_id: 'r1', ...who, at: 2, step: 1 });
    j.write({ type: 'agent-step', run_id: 'r1', ...who, at: 3, step: 2, plan: plan(2) });
    j.write({ type: 'agent-step', run_id: 'r1.c1', parent: 'r1', ...who, at: 4, step: 1, plan: [] });
    j.write({ type: 'agent-step-done', run_id: 'r1.c1', ...who, at: 5, step: 1 });
    writeFileSync(j.file, '{"type":"agent-step","run_id":"r1","step":3,"pl', { flag: 'a' }); // torn by a SIGKILL
    const p = resumePoints(j.file);
    expect(p.get('r1')).toMatchObject({ step: 2, done: false, pid: 7, plan: plan(2) });
    expect(p.get('r1.c1')).toMatchObject({ step: 1, done: true, parent: 'r1' });
    expect(slotKey('r1', '2.1')).toBe('r1:s2.1');
  });

  it('reads the landed keys from the effect journal, not the rejected or open ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-runj-'));
    const f = join(dir, 'j.jsonl');
    writeFileSync(f, [
      { type: 'intent', key: 'a', bot: 'x', kind: 'action', at: 1 }, { type: 'outcome', key: 'a', bot: 'x', status: 'landed', seq: 1, at: 2 },
      { type: 'intent', key: 'b', bot: 'x', kind: 'action', at: 3 }, { type: 'outcome', key: 'b', bot: 'x', status: 'rejected', at: 4 },
      { type: 'intent', key: 'c', bot: 'x', kind: 'action', at: 5 },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect([...landedKeys(f)]).toEqual(['a']);
    expect(landedKeys(join(dir, 'none.jsonl')).size).toBe(0);
  });
});
