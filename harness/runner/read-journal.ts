// Reads the bots' journals (docs/contracts.md §6) after the fleet stopped and
// turns them into `journal` ops: one per intent, with its outcome if recorded.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from '../../contracts/index.ts';
import type { Emit } from './emit.ts';

export function readJournal(dir: string, emit: Emit): { intents: number; files: number } {
  if (!existsSync(dir)) return { intents: 0, files: 0 };
  const intents = new Map<string, { bot: string; key: string; kind: string; intentAt: number; outcome: string | null; seq: number | null; reintentsAt?: number[] }>();
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let e: JournalEntry;
      try {
        e = JSON.parse(line) as JournalEntry;
      } catch {
        continue; // a line torn by a SIGKILL mid-write: the intent before it still counts
      }
      if (e.type === 'intent') {
        const had = intents.get(e.key);
        if (!had) intents.set(e.key, { bot: e.bot, key: e.key, kind: e.kind ?? '', intentAt: e.at, outcome: null, seq: null });
        // A retry is a new attempt under the same key: bot-gate-held judges every attempt's time.
        else if (!Number.isNaN(had.intentAt)) (had.reintentsAt ??= []).push(e.at);
      } else if (e.type === 'outcome') {
        const i = intents.get(e.key);
        if (i) {
          // The last word wins: a retry that landed after a failure is landed.
          if (i.outcome !== 'landed') {
            i.outcome = e.status ?? null;
            i.seq = e.seq ?? null;
          }
        } else {
          intents.set(e.key, { bot: e.bot, key: e.key, kind: '', intentAt: Number.NaN, outcome: e.status ?? null, seq: e.seq ?? null });
        }
      }
    }
  }
  for (const i of intents.values()) emit({ type: 'journal', ...i, intentAt: Number.isNaN(i.intentAt) ? null : i.intentAt });
  return { intents: intents.size, files: files.length };
}
