// Seed 003's file-based kill switch: `EXECUTION_HALTED` in a file every daemon watches
// (`EXECUTION_HALTED_FILE`, a ConfigMap-mounted file in Kubernetes; here `config.haltFile`, by
// default `<dataDir>/kill-switch/EXECUTION_HALTED`). A truthy value halts every bot of the daemon
// in the fleet's defaultMode: anything but empty, `0`, `false`, `no`, `off` (any case, trimmed).
// A missing file is not halted. `bootHalted` (Kubernetes' default posture, `EXECUTION_HALTED: "1"`)
// writes `1` before the fleet starts, so every daemon boots halted until it is set to 0.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FALSY = new Set(['', '0', 'false', 'no', 'off']);

export function haltFilePath(config: { haltFile?: string; dataDir: string }): string {
  return config.haltFile ?? join(config.dataDir, 'kill-switch', 'EXECUTION_HALTED');
}

/** The file's value when it halts, else null (missing, unreadable or falsy). */
export function readHaltFile(path: string): string | null {
  let v: string;
  try {
    v = readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
  return FALSY.has(v.toLowerCase()) ? null : v;
}

/** Replaces the file's content at once (write beside it, rename), as a ConfigMap update swaps its files. */
export function writeHaltFile(path: string, value: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${value}\n`);
  renameSync(tmp, path);
}

/**
 * The file as of now, cheaply: a stat per call, the content re-read only when the file changed
 * (inode, mtime or size: a rename-swap or an edit). Read before every effect and every forwarded
 * submission, so nothing is judged on a value cached since an earlier tick.
 */
export class HaltFileWatch {
  readonly path: string;
  private stamp = '';
  private value: string | null = null;

  constructor(path: string) {
    this.path = path;
  }

  current(): string | null {
    let stamp: string;
    try {
      const s = statSync(this.path);
      stamp = `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      this.value = stamp === 'missing' ? null : readHaltFile(this.path);
    }
    return this.value;
  }
}
