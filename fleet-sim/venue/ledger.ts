// The effect ledger (contracts §5): every effect the venue accepted, in order, with its
// seq and the time received. In memory for GET /ledger and appended to
// `<dataDir>/ledger.jsonl` before the venue acknowledges, so a restart keeps it.
// In memory each effect is kept as its JSON line only (the same text as in the file): at
// 5,000 effects/s an object per effect cost ~2.5× the memory and a re-serialization per read.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { EffectRequest } from '../gateway/ndjson.ts';

export type LedgerEffect = Omit<EffectRequest, 'id'> & { seq: number; receivedAt: number };

export class Ledger {
  /** The JSON line of the effect with seq i + 1. */
  private readonly lines: string[] = [];
  private fd: number;
  private pending: string[] = [];

  readonly file: string;

  constructor(file: string) {
    this.file = file;
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as LedgerEffect;
          if (e.seq === this.lines.length + 1) this.lines.push(line);
        } catch {
          // a line torn by a kill mid-write: it was never acknowledged
        }
      }
    }
    this.fd = openSync(file, 'a');
  }

  get lastSeq(): number {
    return this.lines.length;
  }

  /** Records an effect (buffered until `flush`, which must run before any acknowledgement). */
  append(req: EffectRequest, receivedAt: number): { seq: number; receivedAt: number } {
    const { id: _id, ...fields } = req;
    const seq = this.lines.length + 1;
    const line = JSON.stringify({ seq, ...fields, receivedAt });
    this.lines.push(line);
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
    const start = Math.max(0, Math.min(after, this.lines.length));
    const lines = this.lines.slice(start, start + limit);
    const next = lines.length ? start + lines.length : Math.max(after, 0);
    return `{"effects":[${lines.join(',')}],"next":${next}}`;
  }

  /** The same page as objects. */
  page(after: number, limit: number): { effects: LedgerEffect[]; next: number } {
    return JSON.parse(this.pageJson(after, limit)) as { effects: LedgerEffect[]; next: number };
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
