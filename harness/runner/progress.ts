// A live progress line on a terminal (rewritten in place), plain lines in CI.
export interface ProgressState {
  phase: string;
  elapsedMs: number;
  running: number;
  draining: number;
  stopped: number;
  effectsPerS: number;
}

export interface Progress {
  update(s: ProgressState): void;
  log(line: string): void;
  done(): void;
}

/** `plain`: plain lines even on a terminal (cases running side by side). */
export function makeProgress(stream: NodeJS.WriteStream = process.stderr, label = '', plain = false): Progress {
  const tty = Boolean(stream.isTTY) && !process.env.CI && !plain;
  let lastPlainAt = 0;
  let lastPhase = '';
  const fmt = (s: ProgressState) =>
    `${label}${s.phase.padEnd(10)} ${(s.elapsedMs / 1000).toFixed(1).padStart(6)}s  running ${s.running}  draining ${s.draining}  stopped ${s.stopped}  ${Math.round(s.effectsPerS)} effects/s`;
  return {
    update(s) {
      if (tty) {
        stream.write(`\r\x1b[2K${fmt(s)}`);
      } else if (s.phase !== lastPhase || s.elapsedMs - lastPlainAt >= 5000) {
        stream.write(fmt(s) + '\n');
        lastPlainAt = s.elapsedMs;
      }
      lastPhase = s.phase;
    },
    log(line) {
      stream.write((tty ? '\r\x1b[2K' : '') + line + '\n');
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

export const silentProgress: Progress = { update() {}, log() {}, done() {} };
