// Everything decided before the first process starts: run id, tokens, every port, the
// links, and `<dataDir>/fleet.json` (mode 0600) that every component reads.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetConfig } from '../config.ts';
import type { FleetFile } from '../fleet-file.ts';
import { topologyFor } from '../presets/index.ts';
import { freePorts } from './ports.ts';
import { linkUpstreams, type Links } from './links.ts';

export interface FleetPlan {
  file: FleetFile;
  fleetPath: string;
  /** The built-in fault proxy's API port (null with an external proxyUrl). */
  proxyPort: number | null;
  proxyUrl: string;
}

export function newRunId(): string {
  const d = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `sim-${d}-${randomBytes(3).toString('hex')}`;
}

export async function planFleet(config: FleetConfig & { dataDir: string }, runId: string): Promise<FleetPlan> {
  const topology = topologyFor(config.preset, config.bots);
  const hosts = topology.hosts.map((h) => h.name);
  const draft = linkUpstreams(topology, { redis: 0, gatewayTcp: 0, venueTcp: 0, supervisors: {} });
  const external = config.proxyUrl ?? null;
  const ports = await freePorts(8 + hosts.length + draft.length);
  let i = 0;
  const next = () => ports[i++];
  const redis = next();
  const broker = next();
  const venueHttp = next();
  const venueTcp = next();
  const gatewayTcp = next();
  const control = next();
  const proxyPort = next();
  const apiserver = next();
  const supervisors = Object.fromEntries(hosts.map((h) => [h, next()]));
  const links: Links = {};
  for (const l of linkUpstreams(topology, { redis, gatewayTcp, venueTcp, supervisors })) {
    links[l.name] = { listen: `127.0.0.1:${next()}`, upstream: `127.0.0.1:${l.upstreamPort}` };
  }
  const file: FleetFile = {
    runId,
    config,
    topology,
    token: randomBytes(24).toString('hex'),
    releaseToken: randomBytes(24).toString('hex'),
    redis: { host: '127.0.0.1', port: redis },
    ports: { broker, venueHttp, venueTcp, gatewayTcp, control, supervisors, apiserver },
    // Every fleet has an apiserver (the CRD path); only alphaswarm runs the KillSwitch operator.
    kubeconfig: join(config.dataDir, 'kubeconfig'),
    links,
  };
  for (const d of ['logs', 'redis', 'journal']) mkdirSync(join(config.dataDir, d), { recursive: true });
  const fleetPath = join(config.dataDir, 'fleet.json');
  writeFileSync(fleetPath, JSON.stringify(file, null, 2), { mode: 0o600 });
  return {
    file,
    fleetPath,
    proxyPort: external ? null : proxyPort,
    proxyUrl: (external ?? `http://127.0.0.1:${proxyPort}`).replace(/\/+$/, ''),
  };
}
