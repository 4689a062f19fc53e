// The single writer of history.jsonl: every op is written to the OS as it comes (one write per op),
// so a crashed or killed run leaves every op recorded so far. Secrets never reach the file.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Op, OpInput } from './ops.ts';
import { nowMs } from '../../contracts/clock.ts';
import { secretKeyReplacer } from './redact.ts';

export interface Recorder {
  readonly file: string;
  /** Stamp `t` and append. After close(), ops are dropped (a late observer tick must not throw). */
  emit(op: OpInput): void;
  /** Ops written so far. */
  count(): number;
  /** The ops written so far, as recorded (for judging a run while it runs; harness/checkers/decided.ts). */
  ops(): readonly Op[];
  close(): void;
}

export function createRecorder(file: string, clock: () => number = () => nowMs()): Recorder {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | null = openSync(file, 'a');
  let n = 0;
  const kept: Op[] = [];
  return {
    file,
    emit(op) {
      if (fd === null) return;
      const rec = { t: clock(), ...op };
      const line = JSON.stringify(rec, secretKeyReplacer) + '\n';
      writeSync(fd, line);
      kept.push(rec as unknown as Op);
      n++;
    },
    count: () => n,
    ops: () => kept,
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
