// The agent fleet (seed 004, issue 14): tenants → features → runs, executed by agent workers
// (fleet-sim/agents/main.ts), several per host. Each run is a topology bot of class `agent`:
// slug `ag-<tenant>-<feature>-<n>`, `run` its run_id, `fleet` its feature (kill scope `fleet` =
// seed 004's feature), group `agents`. A control host runs the broker.
// `sim up --preset agents` starts it (docs/agents.md). Worker daemons are named `<host>-w<i>`
// (unique across hosts: a daemon's log is `logs/<name>.log`).
import { spreadBots, type DaemonSpec, type HostSpec, type Slot, type Topology } from './topology.ts';

export const AGENT_TENANTS = ['acme', 'globex'] as const;
export const AGENT_FEATURES = ['support', 'research', 'ops'] as const;
export const AGENT_HOSTS = ['agent-a', 'agent-b'] as const;
export const AGENT_WORKERS_PER_HOST = 2;
export const AGENTS_DEFAULT_RUNS = 24;

/**
 * A run's own capability in the roster: `<feature>-agent`. Its kill stops the whole run like a run
 * kill (fleet-sim/agents/worker.ts runKeys); a tool's capability or `llm` gates only those calls.
 */
export const agentRunCapability = (feature: string): string => `${feature}-agent`;

/** The daemon kind of an agent worker (the orchestrator maps it to fleet-sim/agents/main.ts). */
export const AGENT_WORKER_KIND = 'agents' as const;

export function agentsTopology(nRuns = AGENTS_DEFAULT_RUNS): Topology {
  const slots: Slot[] = [];
  const workers = AGENT_HOSTS.flatMap((host) => Array.from({ length: AGENT_WORKERS_PER_HOST }, (_, i) => ({ host, daemon: `${host}-w${i + 1}` })));
  let w = 0;
  for (const tenant of AGENT_TENANTS)
    for (const feature of AGENT_FEATURES) {
      const { host, daemon } = workers[w++ % workers.length];
      slots.push({ host, daemon, fleet: feature, tenant, group: 'agents', class: 'agent', capability: agentRunCapability(feature), slugPrefix: `ag-${tenant}-${feature}`, assets: ['run'] });
    }
  const bots = spreadBots(nRuns, slots);
  const used = new Set(bots.map((b) => `${b.host}/${b.daemon}`));
  const hosts: HostSpec[] = [
    { name: 'control', daemons: [{ name: 'broker', host: 'control', kind: 'broker' as const, tags: ['broker'], keepAlive: true as const }] },
    ...AGENT_HOSTS.map((host) => ({
      name: host,
      daemons: workers.filter((x) => x.host === host && used.has(`${host}/${x.daemon}`)).map((x) => ({ name: x.daemon, host, kind: AGENT_WORKER_KIND as DaemonSpec['kind'], tags: ['agents'], keepAlive: 'on-failure' as const })),
    })),
  ];
  return { preset: 'agents', hosts, bots, brokerHost: 'control' };
}
