// `GET /journal?after=<cursor>` (docs/contracts.md §3): the daemons' journals (§6) read in pages
// from `<dataDir>/journal/*.jsonl`. The cursor is opaque to clients: base64url of a JSON object
// {file: byte offset}, each offset just past a complete line. A file not named in it is read from 0,
// so files that appear later are picked up; a last line still being written (no newline yet) is
// left for a later page. A complete line that is not JSON (torn by a SIGKILL, then appended to) is
// skipped and counted.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from './http-io.ts';

export const JOURNAL_PAGE_DEFAULT = 5000;
export const JOURNAL_PAGE_MAX = 20_000;
/** Bytes read per page at most (a page ends at the first complete line past it). */
const PAGE_BYTES = 4 * 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;
/** A line longer than this is not a journal record (skipped and counted). */
const MAX_LINE_BYTES = 8 * 1024 * 1024;
const FILE_NAME = /^[A-Za-z0-9_.-]{1,200}\.jsonl$/;
const MAX_CURSOR_CHARS = 64 * 1024;

export interface JournalPage {
  entries: Array<Record<string, unknown>>;
  /** The cursor for the next request (`after=`). */
  next: string;
  /** Every complete line of every file at the time of this request has been returned. */
  done: boolean;
  /** Journal files seen. */
  files: number;
  /** Complete lines that were not a JSON object (skipped). */
  skipped: number;
}

type Offsets = Record<string, number>;

export function encodeCursor(o: Offsets): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

const badCursor = (why: string): HttpError =>
  new HttpError(400, `the journal cursor (after=) is not one this broker gave out: ${why}; start from the beginning without after=, then pass each answer's next`);

export function decodeCursor(raw: string | null): Offsets {
  if (raw === null || raw === '') return {};
  if (raw.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(raw)) throw badCursor('not base64url');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not an encoded JSON object');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badCursor('not an encoded JSON object');
  const out: Offsets = {};
  for (const [f, n] of Object.entries(v)) {
    if (!FILE_NAME.test(f)) throw badCursor(`'${f.slice(0, 60)}' is not a journal file name`);
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw badCursor(`the offset of ${f} is not a byte offset`);
    out[f] = n;
  }
  return out;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => FILE_NAME.test(f)).sort();
}

/** Reads one page from `dir`, starting at `after`, with at most `limit` entries. */
export function readJournalPage(dir: string, after: string | null, limit: number): JournalPage {
  const offsets = decodeCursor(after);
  const files = listFiles(dir);
  for (const f of Object.keys(offsets)) if (!files.includes(f)) throw badCursor(`it names ${f}, which this fleet's journal does not have`);
  const next: Offsets = {};
  for (const f of files) next[f] = offsets[f] ?? 0;
  const entries: Array<Record<string, unknown>> = [];
  let skipped = 0;
  let bytes = 0;
  let full = false;
  for (const f of files) {
    if (full) break;
    const fd = openSync(join(dir, f), 'r');
    try {
      const size = fstatSync(fd).size;
      let pos = next[f];
      if (pos > size) throw badCursor(`the offset of ${f} is past its end`);
      if (pos > 0) {
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, pos - 1);
        if (b[0] !== 0x0a) throw badCursor(`the offset of ${f} is not at a line boundary`);
      }
      while (!full && pos < size) {
        const want = Math.min(CHUNK_BYTES, size - pos);
        const buf = Buffer.alloc(want);
        const got = readSync(fd, buf, 0, want, pos);
        if (got <= 0) break;
        let start = 0;
        for (let nl = buf.indexOf(0x0a); nl >= 0 && nl < got; nl = buf.indexOf(0x0a, start)) {
          const e = parseLine(buf.subarray(start, nl).toString('utf8'));
          bytes += nl + 1 - start;
          start = nl + 1;
          if (e === 'blank') continue;
          if (e === null) skipped++;
          else entries.push(e);
          if (entries.length >= limit || bytes >= PAGE_BYTES) {
            full = true;
            break;
          }
        }
        if (start === 0) {
          // No newline in a whole chunk: a torn last line (wait for it), or a line longer than a chunk
          // (read whole up to MAX_LINE_BYTES; a longer one is no journal record: skipped).
          if (got < CHUNK_BYTES) break;
          const end = nextNewline(fd, pos + got, size);
          if (end < 0) break;
          const e = end - pos <= MAX_LINE_BYTES ? parseLine(readRange(fd, pos, end)) : null;
          if (e === null) skipped++;
          else if (e !== 'blank') entries.push(e);
          bytes += end + 1 - pos;
          pos = end + 1;
          if (entries.length >= limit || bytes >= PAGE_BYTES) full = true;
          continue;
        }
        pos += start;
      }
      next[f] = pos;
    } finally {
      closeSync(fd);
    }
  }
  const done = !full || doneFrom(dir, files, next);
  return { entries, next: encodeCursor(next), done, files: files.length, skipped };
}

function parseLine(line: string): Record<string, unknown> | null | 'blank' {
  if (!line.trim()) return 'blank';
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function readRange(fd: number, from: number, to: number): string {
  const b = Buffer.alloc(to - from);
  const got = readSync(fd, b, 0, b.length, from);
  return b.subarray(0, got).toString('utf8');
}

/** The offset of the first newline at or after `from`, or -1. */
function nextNewline(fd: number, from: number, size: number): number {
  const b = Buffer.alloc(CHUNK_BYTES);
  for (let p = from; p < size; p += CHUNK_BYTES) {
    const got = readSync(fd, b, 0, Math.min(CHUNK_BYTES, size - p), p);
    if (got <= 0) return -1;
    const i = b.subarray(0, got).indexOf(0x0a);
    if (i >= 0) return p + i;
  }
  return -1;
}

/** After a full page: done only if no file has a complete line past its offset. */
function doneFrom(dir: string, files: string[], next: Offsets): boolean {
  for (const f of files) {
    const fd = openSync(join(dir, f), 'r');
    try {
      const size = fstatSync(fd).size;
      if (next[f] < size && nextNewline(fd, next[f], size) >= 0) return false;
    } finally {
      closeSync(fd);
    }
  }
  return true;
}
