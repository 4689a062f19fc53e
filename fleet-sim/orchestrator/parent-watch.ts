// Preloaded (`node --import <this file> …`) into every node process the fleet starts:
// when the stdin pipe from the parent closes — the parent died, even by SIGKILL — the
// process gets SIGTERM (so its own graceful stop runs), then SIGKILL after a grace.
// Without a pipe on stdin (a TTY, /dev/null) it does nothing.
import { fstatSync } from 'node:fs';

const GRACE_MS = Number(process.env.KILLDRILL_PARENT_GRACE_MS ?? 10_000);

function stdinIsPipe(): boolean {
  try {
    const s = fstatSync(0);
    return s.isFIFO() || s.isSocket();
  } catch {
    return false;
  }
}

if (stdinIsPipe()) {
  const stdin = process.stdin;
  stdin.on('data', () => {});
  const orphaned = (): void => {
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), GRACE_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  };
  stdin.once('end', orphaned);
  stdin.once('error', orphaned);
  // Watching stdin must never keep the process alive on its own.
  (stdin as unknown as { unref?: () => void }).unref?.();
}
