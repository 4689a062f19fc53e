// The effect ledger (contracts §5): every effect the venue accepted, in order, with its
// seq and the time received, appended to `<dataDir>/ledger.jsonl` before the venue
// acknowledges, so a restart keeps it. GET /ledger pages are read back from that file: in
// memory is only where each effect's line starts (8 bytes an effect), so a long drill at
// 5,000 effects/s does not grow the venue's heap (and its GC pauses) by ~300 bytes an effect.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { EffectRequest } from '../gateway/ndjson.ts';
import type { BookOutcome, LedgerEffect, LedgerPage } from '../../contracts/index.ts';

/** A ledger line (contracts/records.ts); `book`: what the venue did with it (book.ts), absent for actions. */
export type { LedgerEffect };

/** The valid lines of an existing ledger file: seq 1, 2, 3… in order; anything else (a line torn by a kill mid-write, never acknowledged) ends or is skipped. */
function validLines(file: string): { lines: string[]; clean: boolean } {
  const lines: string[] = [];
  const text = readFileSync(file, 'utf8');
  let clean = text === '' || text.endsWith('\n');
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop(); // after the last newline
  for (const line of all) {
    try {
      const e = JSON.parse(line) as LedgerEffect;
      if (e.seq === lines.length + 1) {
        lines.push(line);
        continue;
      }
    } catch {
      // torn: fall through
    }
    clean = false;
  }
  return { lines, clean };
}

export class Ledger {
  /** Byte offset in the file where the line of seq i + 1 starts. */
  private readonly starts: number[] = [];
  /** Bytes in the file, including what is buffered in `pending`. */
  private size = 0;
  private fd: number;
  private pending: string[] = [];

  readonly file: string;

  constructor(file: string) {
    this.file = file;
    if (existsSync(file)) {
      const { lines, clean } = validLines(file);
      // A torn line would sit between the pages' lines: keep only the valid ones (atomically).
      if (!clean) {
        writeFileSync(`${file}.tmp`, lines.map((l) => `${l}\n`).join(''));
        renameSync(`${file}.tmp`, file);
      }
      for (const l of lines) {
        this.starts.push(this.size);
        this.size += Buffer.byteLength(l) + 1;
      }
    }
    this.fd = openSync(file, 'a+');
    this.size = fstatSync(this.fd).size;
  }

  get lastSeq(): number {
    return this.starts.length;
  }

  /** Records an effect and what the venue did with it (buffered until `flush`, which must run before any acknowledgement). */
  append(req: EffectRequest, receivedAt: number, book?: BookOutcome, price?: number): { seq: number; receivedAt: number } {
    const { id: _id, ...fields } = req;
    const seq = this.starts.length + 1;
    const line = JSON.stringify({ seq, ...fields, receivedAt, ...(book === undefined ? {} : { book }), ...(price === undefined ? {} : { price }) });
    this.starts.push(this.size);
    this.size += Buffer.byteLength(line) + 1;
    this.pending.push(line);
    return { seq, receivedAt };
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    writeSync(this.fd, text);
  }

  /** Effects with seq > after, at most `limit`, as the JSON text of GET /ledger: `{"effects":[…],"next":N}`. */
  pageJson(after: number, limit: number): string {
    this.flush();
    const n = this.starts.length;
    const start = Math.max(0, Math.min(after, n));
    const end = Math.min(n, start + limit);
    if (end <= start) return `{"effects":[],"next":${Math.max(after, 0)}}`;
    const from = this.starts[start];
    const to = end < n ? this.starts[end] : this.size;
    const buf = Buffer.allocUnsafe(to - from);
    let got = 0;
    while (got < buf.length) {
      const r = readSync(this.fd, buf, got, buf.length - got, from + got);
      if (r === 0) throw new Error(`killdrill: ledger ${this.file} is shorter than its index (${from + got} of ${to} bytes); was it changed by hand?`);
      got += r;
    }
    // The lines are JSON objects without raw newlines: newline-separated → comma-separated.
    return `{"effects":[${buf.toString('utf8', 0, buf.length - 1).replaceAll('\n', ',')}],"next":${end}}`;
  }

  /** The same page as objects. */
  page(after: number, limit: number): LedgerPage {
    return JSON.parse(this.pageJson(after, limit)) as LedgerPage;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
