// Reads a run directory (history.jsonl + result.json) for the reports.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HistoryOp, RunData, RunResult } from './run-types.ts';

/** Accepts a run directory or the path of its result.json / history.jsonl. */
export function resolveRunDir(path: string): string {
  if (!existsSync(path)) throw new Error(`killdrill: ${path} does not exist; give a run directory (out/runs/<id>/) or its result.json`);
  if (statSync(path).isDirectory()) return path;
  const name = basename(path);
  if (name === 'result.json' || name === 'history.jsonl') return dirname(path);
  throw new Error(`killdrill: ${path} is neither a run directory nor a result.json/history.jsonl`);
}

export function readHistory(file: string): HistoryOp[] {
  const ops: HistoryOp[] = [];
  const text = readFileSync(file, 'utf8');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const op = JSON.parse(line) as HistoryOp;
      if (op && typeof op === 'object' && typeof op.type === 'string') ops.push(op);
    } catch {
      // The last line of a crashed run may be torn: everything before it still counts.
    }
  }
  return ops;
}

export function readRun(path: string): RunData {
  const dir = resolveRunDir(path);
  const historyFile = join(dir, 'history.jsonl');
  if (!existsSync(historyFile)) throw new Error(`killdrill: ${dir} has no history.jsonl; is it a run directory (out/runs/<id>/)?`);
  const history = readHistory(historyFile);
  const resultFile = join(dir, 'result.json');
  let result: RunResult | null = null;
  if (existsSync(resultFile)) {
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8')) as RunResult;
    } catch (err) {
      throw new Error(`killdrill: ${resultFile} is not valid JSON (${err instanceof Error ? err.message : String(err)}); rerun the case or remove the file`);
    }
  }
  return { dir, history, result };
}
