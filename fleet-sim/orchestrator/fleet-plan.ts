// Everything decided before the first process starts: run id, tokens, every port, the
// links, and `<dataDir>/fleet.json` (mode 0600) that every component reads.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetConfig } from '../config.ts';
import type { FleetFile, FleetNet } from '../fleet-file.ts';
import { topologyFor } from '../presets/index.ts';
import { withStandbyReplicas } from '../presets/scale-out.ts';
import { haltFilePath, writeHaltFile } from '../daemon/halt-file.ts';
import { freePorts } from '../../lib/ports.ts';
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

/** The DNS alias of a component on the run's docker network (`supervisor.node-a` → `supervisor-node-a`). */
export function networkAlias(component: string): string {
  return component.replace(/[^a-zA-Z0-9-]/g, '-');
}

/**
 * `network`: the docker runtime's per-run bridge network name — components then bind
 * 0.0.0.0 in their containers and dial each other by alias (FleetFile.net); without it
 * (process runtime) everything is 127.0.0.1 as before.
 */
export async function planFleet(config: FleetConfig & { dataDir: string }, runId: string, network?: string): Promise<FleetPlan> {
  const topology = withStandbyReplicas(topologyFor(config.preset, config.bots), config.scaleOut);
  const hosts = topology.hosts.map((h) => h.name);
  const draft = linkUpstreams(topology, { redis: 0, gatewayTcp: 0, venueTcp: 0, supervisors: {} });
  const external = config.proxyUrl ?? null;
  const agentWorkers = topology.hosts.flatMap((h) => h.daemons).filter((d) => d.kind === 'agents').map((d) => d.name);
  const ports = await freePorts(8 + hosts.length + agentWorkers.length + draft.length);
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
  const agents = Object.fromEntries(agentWorkers.map((w) => [w, next()]));
  const links: Links = {};
  const netLinks: Links = {};
  const aliases: Record<string, string> = Object.fromEntries(['redis', 'proxy', 'venue', 'gateway', 'apiserver', ...hosts.map((h) => `supervisor.${h}`)].map((c) => [c, networkAlias(c)]));
  for (const l of linkUpstreams(topology, { redis, gatewayTcp, venueTcp, supervisors })) {
    const listenPort = next();
    links[l.name] = { listen: `127.0.0.1:${listenPort}`, upstream: `127.0.0.1:${l.upstreamPort}` };
    // Without a proxy of our own (external proxyUrl) listen = the external proxy; sim up refuses that with a network.
    netLinks[l.name] = { listen: `${aliases.proxy}:${listenPort}`, upstream: `${aliases[l.upstream]}:${l.upstreamPort}` };
  }
  const net: FleetNet | undefined = network ? { name: network, bind: '0.0.0.0', aliases, links: netLinks, kubeconfig: join(config.dataDir, 'kubeconfig.net') } : undefined;
  const file: FleetFile = {
    runId,
    config,
    topology,
    token: randomBytes(24).toString('hex'),
    releaseToken: randomBytes(24).toString('hex'),
    redis: { host: '127.0.0.1', port: redis },
    ports: { broker, venueHttp, venueTcp, gatewayTcp, control, supervisors, apiserver, ...(agentWorkers.length ? { agents } : {}) },
    // Every fleet has an apiserver (the CRD path); only alphaswarm runs the KillSwitch operator.
    kubeconfig: join(config.dataDir, 'kubeconfig'),
    links,
    ...(net ? { net } : {}),
  };
  for (const d of ['logs', 'redis', 'journal']) mkdirSync(join(config.dataDir, d), { recursive: true });
  // The halt file (seed 003): 1 before anything starts when the fleet boots halted, else 0.
  writeHaltFile(haltFilePath(config), config.bootHalted ? '1' : '0');
  const fleetPath = join(config.dataDir, 'fleet.json');
  writeFileSync(fleetPath, JSON.stringify(file, null, 2), { mode: 0o600 });
  return {
    file,
    fleetPath,
    proxyPort: external ? null : proxyPort,
    proxyUrl: (external ?? `http://127.0.0.1:${proxyPort}`).replace(/\/+$/, ''),
  };
}
