// The gateway (execution boundary, seed 003): `node fleet-sim/gateway/main.ts <fleetFile>`.
// NDJSON TCP on ports.gatewayTcp; Redis via link `gateway-redis`, venue via `gateway-venue`.
import { Redis } from 'ioredis';
import { bindHost, linkAddress, readFleetFile } from '../fleet-file.ts';
import { fatal, onShutdown, reportReady } from '../daemon/process-lifecycle.ts';
import { NdjsonClient } from './ndjson-client.ts';
import { createGatewayServer } from './server.ts';

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
  const server = createGatewayServer({ redis, venue, prefix: fleet.config.keyPrefix, defaultMode: fleet.config.defaultMode, check: fleet.config.gatewayCheck });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`killdrill: gateway cannot listen on ${bindHost(fleet)}:${fleet.ports.gatewayTcp}: ${(e as Error).message}`)));
    server.listen(fleet.ports.gatewayTcp, bindHost(fleet), () => resolve());
  });
  onShutdown(() => {
    venue.close();
    redis.disconnect();
    process.exit(0);
  });
  await venue.waitConnected(2000);
  reportReady({ component: 'gateway', tcp: fleet.ports.gatewayTcp, gatewayCheck: fleet.config.gatewayCheck, venueConnected: venue.connected });
}

main().catch(fatal);
