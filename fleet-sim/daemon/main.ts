// A bot daemon: `node fleet-sim/daemon/main.ts <fleetFile> <host> <daemon>` runs every bot
// of topology.bots with that host and daemon (contracts §6, links of §12).
import { readFleetFile } from '../fleet-file.ts';
import { fatal, onShutdown, reportReady } from './process-lifecycle.ts';
import { Daemon } from './daemon.ts';

async function main(): Promise<void> {
  const [path, host, name] = process.argv.slice(2);
  if (!path || !host || !name) fatal('killdrill: usage: node fleet-sim/daemon/main.ts <fleetFile> <host> <daemon>');
  const fleet = readFleetFile(path);
  const daemon = new Daemon(fleet, host, name);
  onShutdown(() => {
    daemon.stop().then(
      () => process.exit(0),
      (e: unknown) => fatal(e),
    );
  });
  process.on('SIGUSR2', () => daemon.readControl());
  await daemon.start();
  reportReady({ component: 'daemon', host, daemon: name, bootId: daemon.bootId, bots: daemon.bots.length, gatewayConnected: daemon.gatewayConnected, ...(daemon.uncertainFills ? { uncertainFills: daemon.uncertainFills } : {}) });
}

main().catch(fatal);
