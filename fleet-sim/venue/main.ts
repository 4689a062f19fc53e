// The venue: `node fleet-sim/venue/main.ts <fleetFile>`. HTTP (ledger, orders, positions, health) on
// ports.venueHttp, NDJSON order entry on ports.venueTcp, both on 127.0.0.1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { bindHost, readFleetFile } from '../fleet-file.ts';
import { nowMs } from '../model.ts';
import { fatal, onShutdown, reportReady } from '../daemon/process-lifecycle.ts';
import { Ledger } from './ledger.ts';
import { Book } from './book.ts';
import { createVenueHttp } from './http-api.ts';
import { createVenueTcp } from './tcp-api.ts';
import { MarketFeed, readFeedFaults } from './market-data.ts';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`killdrill: venue cannot listen on ${host}:${port}: ${(e as Error).message}`)));
    server.listen(port, host, () => resolve());
  });
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) fatal('killdrill: usage: node fleet-sim/venue/main.ts <fleetFile>');
  const fleet = readFleetFile(path);
  mkdirSync(fleet.config.dataDir, { recursive: true });
  const ledger = new Ledger(join(fleet.config.dataDir, 'ledger.jsonl'));
  const book = Book.fromLedger(ledger);
  // The market-data feed: the assets the fleet's trading bots trade (agents trade none).
  // A fleet file written before the feed existed has no `market`: the schema's defaults.
  const m = fleet.config.market ?? { barMs: 250, sigma: 0.001, shockFactor: 8, adverseSlip: 0.01 };
  const assets = [...new Set(fleet.topology.bots.filter((b) => b.class !== 'agent').map((b) => b.asset))].sort();
  const feed = new MarketFeed({ assets, seed: fleet.config.seed, barMs: m.barMs, sigma: m.sigma, shockFactor: m.shockFactor, adverseSlip: m.adverseSlip, now: nowMs() });
  feed.setFaults(readFeedFaults(fleet.config.dataDir));
  // SIGUSR2: the control API changed the feed's faults (market-data-gap, price-shock); read them now.
  process.on('SIGUSR2', () => feed.setFaults(readFeedFaults(fleet.config.dataDir)));
  feed.start(nowMs);
  const http = createVenueHttp(ledger, book, nowMs(), feed);
  const tcp = createVenueTcp(ledger, book, feed);
  await listen(http, fleet.ports.venueHttp, bindHost(fleet));
  await listen(tcp, fleet.ports.venueTcp, bindHost(fleet));
  onShutdown(() => {
    feed.stop();
    ledger.close();
    process.exit(0);
  });
  reportReady({ component: 'venue', http: fleet.ports.venueHttp, tcp: fleet.ports.venueTcp, effects: ledger.lastSeq });
}

main().catch(fatal);
