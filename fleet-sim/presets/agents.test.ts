// The agents preset's shape: every tenant × feature has runs, runs spread over the workers of
// both hosts, run ids and slugs unique, deterministic for a given count.
import { describe, expect, it } from 'vitest';
import { AGENT_FEATURES, AGENT_TENANTS, agentsTopology } from './agents.ts';

describe('agents preset', () => {
  it('spreads tenants × features over the workers of two hosts', () => {
    const t = agentsTopology();
    expect(t.bots).toHaveLength(24);
    for (const tenant of AGENT_TENANTS) for (const f of AGENT_FEATURES) expect(t.bots.some((b) => b.tenant === tenant && b.fleet === f)).toBe(true);
    expect(new Set(t.bots.map((b) => b.run)).size).toBe(24);
    expect(new Set(t.bots.map((b) => b.slug)).size).toBe(24);
    expect(t.bots.every((b) => b.class === 'agent' && b.group === 'agents' && b.run === `run-${b.slug}` && b.capability === `${b.fleet}-agent`)).toBe(true);
    const workers = t.hosts.flatMap((h) => h.daemons.filter((d) => d.kind === 'agents').map((d) => `${h.name}/${d.name}`));
    expect(workers).toEqual(['agent-a/agent-a-w1', 'agent-a/agent-a-w2', 'agent-b/agent-b-w1', 'agent-b/agent-b-w2']);
    for (const w of workers) expect(t.bots.some((b) => `${b.host}/${b.daemon}` === w)).toBe(true);
    expect(agentsTopology()).toEqual(t);
  });

  it('lists only the workers that have runs', () => {
    const t = agentsTopology(2);
    expect(t.bots).toHaveLength(2);
    expect(t.hosts.flatMap((h) => h.daemons).filter((d) => d.kind === 'agents')).toHaveLength(2);
  });
});
