// Fault targets checked before anything starts: the components a preset's fleet will have
// (docs/contracts.md §8 names, §12 links), computed from its topology, so a fault aimed at a
// component, daemon, link or host the fleet does not have is rejected at load time (exit 2).
// The runner checks again against the live fleet's GET /components.
import { topologyFor, type PresetName } from '../../fleet-sim/presets/index.ts';
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import { faultByKind } from './catalog.ts';
import { needsKilldrillProxy } from './external-proxy.ts';
import type { ComponentInfo } from './types.ts';

export function presetComponents(preset: PresetName, bots?: number): ComponentInfo[] {
  const topology = topologyFor(preset, bots);
  const c = (name: string, kind: string, host?: string): ComponentInfo => ({ name, kind, ...(host ? { host } : {}), pid: null, state: 'planned' });
  const out: ComponentInfo[] = ['redis', 'proxy', 'venue', 'gateway', 'apiserver', 'auth'].map((n) => c(n, n));
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

/**
 * Problems of a scenario's faults against its preset's fleet: `[index, message]` per bad fault.
 * With an external Toxiproxy (overrides.proxyUrl) a fault only killdrill's proxy can drive is one.
 */
export function checkFaultsAgainstPreset(
  fleet: { preset: PresetName; bots?: number; overrides?: { keyPrefix?: string; proxyUrl?: string } },
  faults: ReadonlyArray<{ kind: string; params?: Record<string, unknown> }>,
): Array<[number, string]> {
  const components = presetComponents(fleet.preset, fleet.bots);
  const keyPrefix = fleet.overrides?.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const out: Array<[number, string]> = [];
  faults.forEach((f, i) => {
    let problem: string | null;
    try {
      problem = faultByKind(f.kind).check(f.params ?? {}, components, keyPrefix) ?? (fleet.overrides?.proxyUrl ? needsKilldrillProxy(f) : null);
    } catch (err) {
      problem = err instanceof Error ? err.message.replace(/^killdrill: /, '') : String(err);
    }
    if (problem) out.push([i, problem]);
  });
  return out;
}
