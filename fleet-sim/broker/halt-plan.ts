// What a halt level does (docs/contracts.md §3, seed 002), as a pure plan:
//   1 — engage asset:<asset> (flatten)
//   2 — stop the `trading` daemons on their hosts, open an incident
//   3 — also stop every other non-watchdog, non-broker daemon
//   4 — also engage platform:platform (freeze) and stop the remaining daemons on the trading hosts
// The broker never stops itself, except with the `broker-in-own-stop-list` bug (level ≥ 3).
import type { Topology, DaemonSpec } from '../presets/index.ts';
import type { Mode, Scope } from '../model.ts';

export const DEFAULT_LEVEL1_ASSET = 'DOGE-USD';

export interface PlannedStop {
  /** The host the daemon runs on. */
  host: string;
  daemon: string;
  /** The host whose supervisor receives the stop (`wrong-host-stop`: the broker's own). */
  sendTo: string;
}

export interface HaltPlan {
  keys: Array<{ scope: Scope; target: string; mode: Mode }>;
  stops: PlannedStop[];
  /** The broker's own stop (`broker-in-own-stop-list`), sent after answering. */
  selfStop: PlannedStop | null;
  opensIncident: boolean;
}

export interface PlanOptions {
  asset?: string;
  wrongHostStop: boolean;
  brokerInOwnStopList: boolean;
  /** Daemons (host/name) already stopped successfully by an earlier level. */
  alreadyStopped: Set<string>;
}

const isBroker = (d: DaemonSpec): boolean => d.kind === 'broker' || d.tags.includes('broker');

export function daemonId(host: string, daemon: string): string {
  return `${host}/${daemon}`;
}

export function planLevel(topology: Topology, level: number, opts: PlanOptions): HaltPlan {
  const daemons = topology.hosts.flatMap((h) => h.daemons.map((d) => ({ ...d, host: h.name })));
  const chosen: DaemonSpec[] = [];
  const add = (d: DaemonSpec): void => {
    if (!chosen.some((c) => c.host === d.host && c.name === d.name)) chosen.push(d);
  };
  const keys: HaltPlan['keys'] = [];
  if (level === 1) keys.push({ scope: 'asset', target: opts.asset ?? DEFAULT_LEVEL1_ASSET, mode: 'flatten' });
  if (level >= 2) for (const d of daemons) if (d.tags.includes('trading')) add(d);
  if (level >= 3) for (const d of daemons) if (!d.tags.includes('watchdog') && !isBroker(d)) add(d);
  if (level >= 4) {
    keys.push({ scope: 'platform', target: 'platform', mode: 'freeze' });
    const tradingHosts = new Set(daemons.filter((d) => d.tags.includes('trading')).map((d) => d.host));
    for (const d of daemons) if (tradingHosts.has(d.host) && !isBroker(d)) add(d);
  }
  const route = (host: string): string => (opts.wrongHostStop ? topology.brokerHost : host);
  const stops = chosen
    .filter((d) => !opts.alreadyStopped.has(daemonId(d.host, d.name)))
    .map((d) => ({ host: d.host, daemon: d.name, sendTo: route(d.host) }));
  let selfStop: PlannedStop | null = null;
  if (level >= 3 && opts.brokerInOwnStopList) {
    const me = daemons.find((d) => d.host === topology.brokerHost && isBroker(d));
    selfStop = { host: topology.brokerHost, daemon: me?.name ?? 'broker', sendTo: topology.brokerHost };
  }
  return { keys, stops, selfStop, opensIncident: level >= 2 };
}
