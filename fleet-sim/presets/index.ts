export * from './topology.ts';
export { alphaswarm, ALPHASWARM_DEFAULT_BOTS } from './alphaswarm.ts';
export { principal, PRINCIPAL_DEFAULT_BOTS } from './principal.ts';
// The agents topology (seed 004) is not in topologyFor yet: see docs/agents.md.
export { agentsTopology, AGENTS_DEFAULT_RUNS, type AgentsTopology } from './agents.ts';
import { alphaswarm } from './alphaswarm.ts';
import { principal } from './principal.ts';
import type { Topology } from './topology.ts';

export function topologyFor(preset: 'alphaswarm' | 'principal', bots?: number): Topology {
  return preset === 'principal' ? principal(bots) : alphaswarm(bots);
}
