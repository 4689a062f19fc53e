// The daemon's own log of its bots' phase changes (contracts §6): one JSONL file per daemon,
// `<dataDir>/phases/<host>.<daemon>.jsonl`, one line per transition appended synchronously when it
// happens (before it is queued for Redis), so it holds the bot's own `at` whatever became of the
// phase stream. Honesty tests compare the harness's times with it: a record the harness never touched.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseEntry } from './phase-writer.ts';

export class PhaseLog {
  readonly file: string;
  private fd: number | null;

  constructor(dataDir: string, host: string, daemon: string) {
    const dir = join(dataDir, 'phases');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${host}.${daemon}.jsonl`);
    this.fd = openSync(this.file, 'a');
  }

  append(e: PhaseEntry): void {
    if (this.fd !== null) writeSync(this.fd, `${JSON.stringify(e)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
