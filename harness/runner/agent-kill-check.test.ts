import { describe, expect, it } from 'vitest';
import { agentKillProblem, type WorkerCapabilities } from './agent-kill-check.ts';

const worker: WorkerCapabilities = { tools: [{ name: 'place-order', access: 'write' }, { name: 'search-docs', access: 'read' }], llm: 'llm', queuePolicies: ['discard', 'drain'] };
const workers = new Map([['agent-a.w1', worker], ['agent-b.w1', worker]]);
const roster = new Set(['support-agent', 'ops-agent']);

describe('agentKillProblem', () => {
  it('passes a tool, the LLM, a roster capability and a policy the workers honour', () => {
    expect(agentKillProblem({ scope: 'capability', target: 'place-order' }, 0, roster, workers)).toBeNull();
    expect(agentKillProblem({ scope: 'capability', target: 'llm' }, 0, roster, workers)).toBeNull();
    expect(agentKillProblem({ scope: 'capability', target: 'support-agent', queue: 'drain' }, 4, roster, workers)).toBeNull();
    expect(agentKillProblem({ scope: 'tenant', target: 'acme', queue: 'discard' }, 6, roster, workers)).toBeNull();
  });

  it('refuses a capability nothing has, listing what the fleet offers', () => {
    const p = agentKillProblem({ scope: 'capability', target: 'place-ordr' }, 0, roster, workers);
    expect(p).toMatch(/capability:place-ordr\) matches no capability of this fleet/);
    expect(p).toMatch(/bots' capabilities: ops-agent, support-agent; the workers' tools and LLM: llm, place-order, search-docs/);
  });

  it('refuses a queue policy without agent workers, or one a worker does not list', () => {
    expect(agentKillProblem({ scope: 'fleet', target: 'support', queue: 'drain' }, 3, roster, new Map())).toMatch(/no agent worker \(no job queue\)/);
    const old = new Map([['agent-a.w1', worker], ['agent-b.w1', { ...worker, queuePolicies: ['discard'] }]]);
    expect(agentKillProblem({ scope: 'tenant', target: 'acme', queue: 'drain' }, 3, roster, old)).toMatch(/agent worker\(s\) agent-b\.w1 do not honour it \(they list discard, drain\)/);
  });
});
