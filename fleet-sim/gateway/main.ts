// The gateway (execution boundary, seed 003): `node fleet-sim/gateway/main.ts <fleetFile>`.
// NDJSON TCP on ports.gatewayTcp; Redis via link `gateway-redis`, venue via `gateway-venue`.
import { Redis } from 'ioredis';
import { bindHost, linkAddress, readFleetFile } from '../fleet-file.ts';
import { fatal, onShutdown, reportReady } from '../daemon/process-lifecycle.ts';
import { NdjsonClient } from './ndjson-client.ts';
import { createGatewayServer, type ShutdownGate } from './server.ts';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) fatal('killdrill: usage: node fleet-sim/gateway/main.ts <fleetFile>');
  const fleet = readFleetFile(path);
  const r = linkAddress(fleet, 'gateway-redis');
  const v = linkAddress(fleet, 'gateway-venue');
  const redis = new Redis({
    host: r.host,
    port: r.port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
    enableAutoPipelining: true,
    retryStrategy: () => 100,
    lazyConnect: false,
  });
  redis.on('error', () => {}); // reconnects on its own; checks fail closed meanwhile
  const venue = new NdjsonClient({ host: v.host, port: v.port, name: 'venue', timeoutMs: 5000 });
  const gate: ShutdownGate = { shuttingDown: false, inFlight: 0 };
  const server = createGatewayServer({ redis, venue, prefix: fleet.config.keyPrefix, defaultMode: fleet.config.defaultMode, check: fleet.config.gatewayCheck, gate });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`killdrill: gateway cannot listen on ${bindHost(fleet)}:${fleet.ports.gatewayTcp}: ${(e as Error).message}`)));
    server.listen(fleet.ports.gatewayTcp, bindHost(fleet), () => resolve());
  });
  // SIGTERM: new submissions are answered 503 shutting_down, the ones in flight finish (up to drainTimeoutS), then exit.
  onShutdown(() => {
    gate.shuttingDown = true;
    const t0 = Date.now();
    const limitMs = fleet.config.drainTimeoutS * 1000;
    const poll = setInterval(() => {
      if (gate.inFlight > 0 && Date.now() - t0 < limitMs) return;
      clearInterval(poll);
      // Let the last replies leave (they are written on the next turn).
      setImmediate(() => {
        venue.close();
        redis.disconnect();
        process.exit(0);
      });
    }, 5);
  });
  await venue.waitConnected(2000);
  reportReady({ component: 'gateway', tcp: fleet.ports.gatewayTcp, gatewayCheck: fleet.config.gatewayCheck, venueConnected: venue.connected });
}

main().catch(fatal);
