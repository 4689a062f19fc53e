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
    /** Each agent worker's control port (GET /calls, /runs, /queue; docs/agents.md), by daemon name. */
    agents?: Record<string, number>;
  };
  /** Path of the kubeconfig written for the apiserver (CRD path). */
  kubeconfig?: string;
  /**
   * The links of docs/contracts.md §12, by proxy name: components connect to `listen`
   * (the fault proxy), which forwards to `upstream`. Without a proxy listen = upstream.
   */
  links: Record<string, { listen: string; upstream: string }>;
  /**
   * The docker runtime's per-run bridge network (docs/docker.md). Absent in the process
   * runtime: everything binds and dials 127.0.0.1. Present: components bind `bind`
   * (0.0.0.0 inside their container; ports published on 127.0.0.1 only, same numbers) and
   * dial each other by `aliases` through `links` (same names as above, named addresses);
   * the top-level addresses stay what the host (harness, sim up) uses.
   */
  net?: FleetNet;
}

export interface FleetNet {
  /** Docker network name (`killdrill-<runId>`). */
  name: string;
  bind: string;
  /** Component (`redis`, `proxy`, `venue`, `gateway`, `apiserver`, `supervisor.<host>`) → its DNS alias on the network. */
  aliases: Record<string, string>;
  links: Record<string, { listen: string; upstream: string }>;
  /** The kubeconfig for components inside the network (server http://<apiserver alias>:port). */
  kubeconfig?: string;
}

/** The host a component listens on: 127.0.0.1, or `net.bind` inside the run's docker network. */
export function bindHost(file: FleetFile): string {
  return file.net?.bind ?? '127.0.0.1';
}

export function readFleetFile(path: string): FleetFile {
  return JSON.parse(readFileSync(path, 'utf8')) as FleetFile;
}

/** The address a component dials for a link: `host:port` → {host, port}. */
export function linkAddress(file: FleetFile, name: string): HostPort {
  const l = file.net?.links[name] ?? file.links[name];
  if (!l) throw new Error(`killdrill: fleet file has no link '${name}' (links: ${Object.keys(file.links).join(', ')})`);
  const i = l.listen.lastIndexOf(':');
  return { host: l.listen.slice(0, i), port: Number(l.listen.slice(i + 1)) };
}

export function redisUrlOf(a: HostPort): string {
  return `redis://${a.host}:${a.port}`;
}
