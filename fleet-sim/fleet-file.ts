// The resolved fleet, written by `sim up` to `<dataDir>/fleet.json` before any component
// starts, and read by every component process (argv[2] is its path). Ports are chosen
// once, at start, so a restarted component comes back on the same address.
import { readFileSync } from 'node:fs';
import type { FleetConfig } from './config.ts';
import type { Topology } from './presets/index.ts';

export interface HostPort {
  host: string;
  port: number;
}

export interface FleetFile {
  runId: string;
  config: FleetConfig & { dataDir: string };
  topology: Topology;
  /** Bearer token for every request (role operator). */
  token: string;
  /** Bearer token of the designated release role (risk-officer). */
  releaseToken: string;
  /** Direct addresses (what the harness uses). */
  redis: HostPort;
  ports: {
    broker: number;
    venueHttp: number;
    venueTcp: number;
    gatewayTcp: number;
    control: number;
    supervisors: Record<string, number>;
    /** The Kubernetes API subset (CRD path); absent until the fleet has an apiserver. */
    apiserver?: number;
  };
  /** Path of the kubeconfig written for the apiserver (CRD path). */
  kubeconfig?: string;
  /**
   * The links of docs/contracts.md §12, by proxy name: components connect to `listen`
   * (the fault proxy), which forwards to `upstream`. Without a proxy listen = upstream.
   */
  links: Record<string, { listen: string; upstream: string }>;
}

export function readFleetFile(path: string): FleetFile {
  return JSON.parse(readFileSync(path, 'utf8')) as FleetFile;
}

/** The address a component dials for a link: `host:port` → {host, port}. */
export function linkAddress(file: FleetFile, name: string): HostPort {
  const l = file.links[name];
  if (!l) throw new Error(`killdrill: fleet file has no link '${name}' (links: ${Object.keys(file.links).join(', ')})`);
  const i = l.listen.lastIndexOf(':');
  return { host: l.listen.slice(0, i), port: Number(l.listen.slice(i + 1)) };
}

export function redisUrlOf(a: HostPort): string {
  return `redis://${a.host}:${a.port}`;
}
