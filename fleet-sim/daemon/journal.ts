// The daemon's journal (contracts §6): one JSONL file per daemon in `<dataDir>/journal/`.
// Intents are written synchronously before the request bytes leave (the gateway client
// calls `flush` right before each socket write); outcomes within one event-loop turn.
// Everything written survives a SIGKILL of the process.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type OutcomeStatus = 'landed' | 'rejected' | 'failed';

export class Journal {
  readonly file: string;
  private fd: number;
  private buf: string[] = [];
  private scheduled = false;

  constructor(dataDir: string, host: string, daemon: string) {
    const dir = join(dataDir, 'journal');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${host}.${daemon}.jsonl`);
    this.fd = openSync(this.file, 'a');
  }

  /** Queues an intent; it is on disk before `flush` returns (called before every dispatch write). */
  intent(key: string, bot: string, kind: string, at: number): void {
    this.buf.push(JSON.stringify({ type: 'intent', key, bot, kind, at }));
  }

  outcome(key: string, bot: string, status: OutcomeStatus, at: number, seq?: number): void {
    this.buf.push(JSON.stringify(seq === undefined ? { type: 'outcome', key, bot, status, at } : { type: 'outcome', key, bot, status, seq, at }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.buf.length) return;
    const text = `${this.buf.join('\n')}\n`;
    this.buf = [];
    writeSync(this.fd, text);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
