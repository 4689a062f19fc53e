// The gateway (execution boundary, seed 003): `node fleet-sim/gateway/main.ts <fleetFile>`.
// NDJSON TCP on ports.gatewayTcp; Redis via link `gateway-redis`, venue via `gateway-venue`.
import { Redis } from 'ioredis';
import { bindHost, linkAddress, readFleetFile } from '../fleet-file.ts';
import { fatal, onShutdown, reportReady } from '../daemon/process-lifecycle.ts';
import { NdjsonClient } from './ndjson-client.ts';
import { createGatewayServer, type ShutdownGate, type Throttle } from './server.ts';
import { gatewayBreakerJournal, gatewayShutdownJournal } from './gateway-journal.ts';
import { LossBreaker, type Fill } from './loss-breaker.ts';
import type { LedgerPage } from '../../contracts/index.ts';
import { HaltFileWatch, haltFilePath } from '../daemon/halt-file.ts';
import { nowMs } from '../model.ts';

/** The gateway-accepts-while-shutting-down bug: its SIGTERM handler serves on for this fixed grace, then exits under what is in flight. */
const BUGGY_GRACE_MS = 1000;

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
  const leaky = fleet.config.bugs.includes('gateway-accepts-while-shutting-down');
  const gate: ShutdownGate = { shuttingDown: false, inFlight: 0, open: new Set(), refused: 0, leaky };
  const haltFile = new HaltFileWatch(haltFilePath(fleet.config));
  const throttle: Throttle = { maxInFlight: fleet.config.gatewayMaxInFlight, shed: 0 };
  const b = fleet.config.breakers;
  const losses =
    b && b.maxConsecutiveLosses > 0
      ? new LossBreaker({ max: b.maxConsecutiveLosses, cooldownMs: b.lossCooldownS * 1000, write: gatewayBreakerJournal(fleet.config.dataDir), countsOpens: fleet.config.bugs.includes('loss-breaker-counts-opens') })
      : undefined;
  // A restarted gateway learns the losses from the fills already on the ledger before it takes an order.
  if (losses) losses.replay(await ledgerFills(`http://${bindHost(fleet)}:${fleet.ports.venueHttp}`));
  const server = createGatewayServer({ redis, venue, prefix: fleet.config.keyPrefix, defaultMode: fleet.config.defaultMode, check: fleet.config.gatewayCheck, gate, haltFile, throttle, ...(losses ? { losses } : {}) });
  // Said once a second while it sheds, so an overloaded run is visible in the gateway's log.
  let shedSaid = 0;
  setInterval(() => {
    if (throttle.shed === shedSaid) return;
    process.stderr.write(`killdrill: gateway: refused ${throttle.shed - shedSaid} submission(s) in the last second as overloaded (gatewayMaxInFlight ${throttle.maxInFlight} open); the offer is above what the venue takes\n`);
    shedSaid = throttle.shed;
  }, 1000).unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`killdrill: gateway cannot listen on ${bindHost(fleet)}:${fleet.ports.gatewayTcp}: ${(e as Error).message}`)));
    server.listen(fleet.ports.gatewayTcp, bindHost(fleet), () => resolve());
  });
  const bootId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const journal = gatewayShutdownJournal(fleet.config.dataDir);
  // SIGTERM: new submissions are answered 503 shutting_down, the ones in flight finish (up to drainTimeoutS),
  // journaled shutdown-requested then drained (or drain-timeout), then exit.
  onShutdown((why) => {
    const t0 = nowMs();
    journal({ event: 'shutdown-requested', at: t0, pid: process.pid, bootId, reason: why, inFlight: gate.inFlight });
    gate.shuttingDown = true;
    const limitMs = leaky ? BUGGY_GRACE_MS : fleet.config.drainTimeoutS * 1000;
    const poll = setInterval(() => {
      // The bug's handler only waits out its grace (it never closed the gate, so there is always something in flight).
      if ((leaky || gate.inFlight > 0) && nowMs() - t0 < limitMs) return;
      clearInterval(poll);
      // Let the last replies leave (they are written on the next turn).
      setImmediate(() => {
        const at = nowMs();
        const base = { at, pid: process.pid, bootId, waitedMs: Math.round(at - t0), refused: gate.refused };
        if (gate.inFlight === 0) journal({ event: 'drained', ...base });
        else journal({ event: 'drain-timeout', ...base, abandoned: [...gate.open] });
        venue.close();
        redis.disconnect();
        process.exit(0);
      });
    }, 5);
  });
  await venue.waitConnected(2000);
  reportReady({ component: 'gateway', tcp: fleet.ports.gatewayTcp, gatewayCheck: fleet.config.gatewayCheck, venueConnected: venue.connected });
}

/** Every priced fill on the venue's ledger (GET /ledger pages), in seq order; the venue must answer within 10 s. */
async function ledgerFills(venueHttp: string): Promise<Fill[]> {
  const out: Fill[] = [];
  const until = Date.now() + 10_000;
  for (let after = 0; ; ) {
    let page: LedgerPage;
    try {
      const res = await fetch(`${venueHttp}/ledger?after=${after}&limit=10000`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      page = (await res.json()) as LedgerPage;
    } catch (e) {
      if (Date.now() > until) throw new Error(`killdrill: gateway: the venue's GET /ledger did not answer (${(e as Error).message}); the consecutive-losses breaker cannot learn the bots' fills`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    for (const e of page.effects)
      if (e.book === 'fill' && typeof e.price === 'number' && e.side && typeof e.qty === 'number') out.push({ bot: e.bot, asset: e.asset, side: e.side, qty: e.qty, price: e.price, at: e.receivedAt });
    if (page.effects.length === 0 || page.next <= after) return out;
    after = page.next;
  }
}

main().catch(fatal);
