// `node fleet-sim/daemon/watchdog.ts <fleetFile> <host> <daemon>`: a watchdog daemon
// (principal's sentinel, horus). It only beats — one line to its log every 5 s — and
// exits 0 on SIGTERM/SIGINT, like a well-behaved KeepAlive job.
import { nowMs } from '../clock.ts';
const [, , , host = '?', daemon = 'watchdog'] = process.argv;
const HEARTBEAT_MS = 5000;

const beat = (): void => {
  process.stdout.write(`${JSON.stringify({ watchdog: daemon, host, pid: process.pid, at: nowMs() })}\n`);
};
beat();
const timer = setInterval(beat, HEARTBEAT_MS);
const stop = (): void => {
  clearInterval(timer);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
