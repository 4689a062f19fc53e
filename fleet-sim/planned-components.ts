// The components a preset's fleet will have (docs/contracts.md §8 names, §12 links), from its
// topology, before anything starts: what `killdrill sim components` prints, so a harness can check
// a fault's target at load time without importing the simulator. The live fleet's GET /components
// lists the same names.
import { topologyFor, type PresetName } from './presets/index.ts';

export type { PresetName };

export interface PlannedComponent {
  name: string;
  kind: string;
  host?: string;
}

export function plannedComponents(preset: PresetName, bots?: number): PlannedComponent[] {
  const topology = topologyFor(preset, bots);
  const c = (name: string, kind: string, host?: string): PlannedComponent => ({ name, kind, ...(host ? { host } : {}) });
  const out: PlannedComponent[] = ['redis', 'proxy', 'venue', 'gateway', 'apiserver', 'auth'].map((n) => c(n, n));
  for (const h of topology.hosts) {
    out.push(c(`supervisor.${h.name}`, 'supervisor', h.name));
    for (const d of h.daemons) out.push(c(d.name, 'daemon', h.name));
  }
  for (const h of topology.hosts) {
    if (!h.daemons.some((d) => d.kind === 'bots' || d.kind === 'agents')) continue;
    for (const l of ['bots-redis-sub', 'bots-redis-poll', 'bots-gateway']) out.push(c(`${l}.${h.name}`, 'link'));
  }
  for (const l of ['gateway-redis', 'gateway-venue', 'operator-redis', 'broker-redis']) out.push(c(l, 'link'));
  for (const h of topology.hosts) out.push(c(`broker-hosts.${h.name}`, 'link'));
  return out;
}
