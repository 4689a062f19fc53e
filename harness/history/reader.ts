// history.jsonl → History. A line that is not JSON (torn by a crash) is skipped and counted.
import { readFileSync } from 'node:fs';
import { History } from './history.ts';
import type { Op } from './ops.ts';

export function parseHistory(text: string): History {
  const ops: Op[] = [];
  let torn = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Op;
      if (o && typeof o === 'object' && typeof o.type === 'string' && typeof o.t === 'number') ops.push(o);
      else torn++;
    } catch {
      torn++;
    }
  }
  return new History(ops, torn);
}

export function readHistory(file: string): History {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`killdrill: cannot read the history ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the run directory`);
  }
  return parseHistory(text);
}
