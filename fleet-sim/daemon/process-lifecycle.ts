// Process lifecycle shared by the venue, gateway and daemon entry points: stop on
// SIGTERM/SIGINT, and when stdin is a pipe that closes (the parent `sim up` died).
import { fstatSync } from 'node:fs';

export function onShutdown(stop: (why: string) => void): void {
  let called = false;
  const once = (why: string) => {
    if (called) return;
    called = true;
    stop(why);
  };
  process.on('SIGTERM', () => once('SIGTERM'));
  process.on('SIGINT', () => once('SIGINT'));
  let isPipe = false;
  try {
    const st = fstatSync(0);
    isPipe = st.isFIFO() || st.isSocket();
  } catch {
    isPipe = false;
  }
  if (isPipe) {
    process.stdin.on('end', () => once('stdin closed'));
    process.stdin.on('close', () => once('stdin closed'));
    process.stdin.on('error', () => once('stdin closed'));
    process.stdin.resume();
  }
}

/** Prints the component's ready line (one JSON object) on stdout. */
export function reportReady(info: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, ...info })}\n`);
}

export function fatal(err: unknown): never {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${msg.startsWith('killdrill:') ? msg : `killdrill: ${msg}`}\n`);
  process.exit(1);
}
