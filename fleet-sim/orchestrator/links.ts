// The links of docs/contracts.md §12, each through its own named proxy of the fault proxy
// (or of an external Toxiproxy), created with the unmodified toxiproxy-node-client.
import { Toxiproxy } from 'toxiproxy-node-client';
import type { Topology } from '../presets/index.ts';
import { getJson } from '../../lib/http.ts';

export interface LinkTargets {
  redis: number;
  gatewayTcp: number;
  venueTcp: number;
  supervisors: Record<string, number>;
}

/** Every link name with the port its upstream listens on and the component that listens there. */
export function linkUpstreams(topology: Topology, t: LinkTargets): Array<{ name: string; upstreamPort: number; upstream: string }> {
  const out: Array<{ name: string; upstreamPort: number; upstream: string }> = [];
  for (const h of topology.hosts) {
    // Agent workers use the bot daemons' links (kill keys, phases, BullMQ on Redis; effects to the gateway).
    if (!h.daemons.some((d) => d.kind === 'bots' || d.kind === 'agents')) continue;
    out.push({ name: `bots-redis-sub.${h.name}`, upstreamPort: t.redis, upstream: 'redis' });
    out.push({ name: `bots-redis-poll.${h.name}`, upstreamPort: t.redis, upstream: 'redis' });
    out.push({ name: `bots-gateway.${h.name}`, upstreamPort: t.gatewayTcp, upstream: 'gateway' });
  }
  out.push({ name: 'gateway-redis', upstreamPort: t.redis, upstream: 'redis' });
  out.push({ name: 'gateway-venue', upstreamPort: t.venueTcp, upstream: 'venue' });
  out.push({ name: 'operator-redis', upstreamPort: t.redis, upstream: 'redis' });
  out.push({ name: 'broker-redis', upstreamPort: t.redis, upstream: 'redis' });
  for (const h of topology.hosts) out.push({ name: `broker-hosts.${h.name}`, upstreamPort: t.supervisors[h.name], upstream: `supervisor.${h.name}` });
  return out;
}

export type Links = Record<string, { listen: string; upstream: string }>;

/** Create (or replace) every link's proxy, enabled. */
export async function createLinks(proxyUrl: string, links: Links): Promise<void> {
  const tp = new Toxiproxy(proxyUrl);
  const existing = await tp.getAll();
  for (const name of Object.keys(links)) if (existing[name]) await existing[name].remove();
  await tp.populate(Object.entries(links).map(([name, l]) => ({ name, listen: l.listen, upstream: l.upstream, enabled: true })));
}

/**
 * Remove every link's proxy (and with it its toxics) from an external Toxiproxy when the fleet stops;
 * one already gone counts as removed. Returns the links it could not remove, each with why.
 */
export async function removeLinks(proxyUrl: string, links: Links): Promise<string[]> {
  const failed: string[] = [];
  for (const name of Object.keys(links)) {
    try {
      const res = await fetch(`${proxyUrl}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (!res.ok && res.status !== 404) failed.push(`${name} (HTTP ${res.status})`);
    } catch (err) {
      failed.push(`${name} (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return failed;
}

export async function setLinkEnabled(proxyUrl: string, name: string, enabled: boolean): Promise<void> {
  const p = await new Toxiproxy(proxyUrl).get(name);
  await p.update({ enabled, listen: p.listen, upstream: p.upstream });
}

/** Enabled state of every proxy the proxy has (name → enabled); empty when it does not answer. */
export async function linkStates(proxyUrl: string): Promise<Record<string, boolean>> {
  try {
    const all = await getJson<Record<string, { enabled: boolean }>>(`${proxyUrl}/proxies`, { timeoutMs: 3000 });
    return Object.fromEntries(Object.entries(all).map(([n, p]) => [n, p.enabled]));
  } catch {
    return {};
  }
}
