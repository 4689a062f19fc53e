// The effect ledger (contracts §5): every effect the venue accepted, in order, with its
// seq and the time received. In memory for GET /ledger and appended to
// `<dataDir>/ledger.jsonl` before the venue acknowledges, so a restart keeps it.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { EffectRequest } from '../gateway/ndjson.ts';

export type LedgerEffect = Omit<EffectRequest, 'id'> & { seq: number; receivedAt: number };

export class Ledger {
  readonly effects: LedgerEffect[] = [];
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
          if (e.seq === this.effects.length + 1) this.effects.push(e);
        } catch {
          // a line torn by a kill mid-write: it was never acknowledged
        }
      }
    }
    this.fd = openSync(file, 'a');
  }

  get lastSeq(): number {
    return this.effects.length;
  }

  /** Records an effect (buffered until `flush`, which must run before any acknowledgement). */
  append(req: EffectRequest, receivedAt: number): LedgerEffect {
    const { id: _id, ...fields } = req;
    const e: LedgerEffect = { seq: this.effects.length + 1, ...fields, receivedAt };
    this.effects.push(e);
    this.pending.push(JSON.stringify(e));
    return e;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    writeSync(this.fd, text);
  }

  /** Effects with seq > after, at most `limit`. */
  page(after: number, limit: number): { effects: LedgerEffect[]; next: number } {
    const start = Math.max(0, Math.min(after, this.effects.length));
    const effects = this.effects.slice(start, start + limit);
    return { effects, next: effects.length ? effects[effects.length - 1].seq : Math.max(after, 0) };
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
