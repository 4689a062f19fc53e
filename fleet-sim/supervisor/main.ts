// `node fleet-sim/supervisor/main.ts <fleetFile> <host>`: one host's supervisor on
// ports.supervisors[host]. SIGTERM/SIGINT (or its stdin pipe closing, see parent-watch)
// stops every daemon (SIGTERM, grace, SIGKILL) and then exits 0.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { bindHost, readFleetFile } from '../fleet-file.ts';
import { Supervisor } from './supervisor.ts';
import { supervisorServer } from './http-api.ts';

const ORPHAN_GRACE_MS = 2000;

async function main(): Promise<number> {
  const [fleetPath, host] = process.argv.slice(2);
  if (!fleetPath || !host) {
    process.stderr.write('killdrill: usage: node fleet-sim/supervisor/main.ts <fleetFile> <host>\n');
    return 2;
  }
  const fleet = readFleetFile(fleetPath);
  const port = fleet.ports.supervisors[host];
  if (!port) {
    process.stderr.write(`killdrill: fleet file has no supervisor port for host '${host}'; hosts: ${Object.keys(fleet.ports.supervisors).join(', ')}\n`);
    return 2;
  }
  const logDir = join(fleet.config.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const graceMs = Number(process.env.KILLDRILL_STOP_GRACE_MS ?? 10_000);
  const sup = new Supervisor(host, logDir, graceMs);
  // Our parent (sim up) died without stopping us: its redis and proxy are going too, so
  // daemons cannot drain through them; give them a short grace instead of the full one.
  process.stdin.once('end', () => sup.setGrace(Math.min(graceMs, ORPHAN_GRACE_MS)));
  const server = supervisorServer(sup, fleet.token);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindHost(fleet), () => resolve());
  });
  process.stdout.write(`supervisor ${host} listening on http://${bindHost(fleet)}:${port}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      server.close();
      server.closeAllConnections();
      void sup.shutdown().then(() => resolve(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`killdrill: supervisor crashed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
