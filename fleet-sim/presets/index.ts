export * from './topology.ts';
export { alphaswarm, ALPHASWARM_DEFAULT_BOTS } from './alphaswarm.ts';
export { principal, PRINCIPAL_DEFAULT_BOTS } from './principal.ts';
export { agentsTopology, AGENTS_DEFAULT_RUNS } from './agents.ts';
import { agentsTopology } from './agents.ts';
import { alphaswarm } from './alphaswarm.ts';
import { principal } from './principal.ts';
import type { Topology } from './topology.ts';

export type PresetName = Topology['preset'];

/** `bots` for the agents preset is its number of root runs. */
export function topologyFor(preset: PresetName, bots?: number): Topology {
  return preset === 'principal' ? principal(bots) : preset === 'agents' ? agentsTopology(bots) : alphaswarm(bots);
}
