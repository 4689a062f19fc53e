// `node fleet-sim/redis/guard.ts <binary> [args…]`: runs a non-Node server (redis-server)
// so that it cannot outlive the fleet. Writes `{"pid":N}` + newline to fd 3 (the parent
// signals that pid directly for kill/pause), forwards SIGTERM/SIGINT, exits with the
// server's code, and when its stdin pipe closes (the parent died, even by SIGKILL) it
// stops the server: SIGTERM, then SIGKILL after 5 s.
import { spawn } from 'node:child_process';
import { writeSync, closeSync } from 'node:fs';

const [bin, ...args] = process.argv.slice(2);
if (!bin) {
  process.stderr.write('killdrill: usage: node fleet-sim/redis/guard.ts <binary> [args…]\n');
  process.exit(2);
}
const child = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.once('error', (err) => {
  process.stderr.write(`killdrill: could not start ${bin}: ${err.message}; check that it is installed and on PATH\n`);
  process.exit(3);
});
if (child.pid) {
  try {
    writeSync(3, `${JSON.stringify({ pid: child.pid })}\n`);
    closeSync(3);
  } catch {
    // no fd 3: run without reporting the pid
  }
}
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 9 : 1)));

const forward = (sig: NodeJS.Signals) => () => {
  child.kill(sig);
  child.kill('SIGCONT');
};
process.on('SIGTERM', forward('SIGTERM'));
process.on('SIGINT', forward('SIGINT'));

process.stdin.on('data', () => {});
const orphaned = (): void => {
  child.kill('SIGTERM');
  child.kill('SIGCONT');
  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
};
process.stdin.once('end', orphaned);
process.stdin.once('error', orphaned);
