// The fleet's process control API (docs/contracts.md §8): what containers are to the docker runtime.
import type { ComponentInfo } from './types.ts';
import type { TargetEndpoints } from '../runtime/index.ts';
import { getJson, request, withQuery } from '../../lib/http.ts';

function controlUrl(fleet: TargetEndpoints): string {
  if (!fleet.controlUrl) throw new Error('killdrill: this target has no control API (an external target: killdrill never starts, stops or pauses its processes), so no component can be listed or controlled');
  return fleet.controlUrl;
}

export async function listComponents(fleet: TargetEndpoints): Promise<ComponentInfo[]> {
  return getJson<ComponentInfo[]>(`${controlUrl(fleet)}/components`, { token: fleet.token, timeoutMs: 5000, error: (status) => `killdrill: fleet control API answered ${status} to GET /components` });
}

export type ControlAction = 'kill' | 'pause' | 'resume' | 'restart' | 'stop' | 'start' | 'disconnect' | 'connect' | 'rogue' | 'obey' | 'gap' | 'feed' | 'shock' | 'calm' | 'adverse' | 'fair';

/** `query`: the action's parameters (the venue's feed actions take `assets`, §8). */
export async function controlComponent(fleet: TargetEndpoints, name: string, action: ControlAction, query?: Record<string, string>): Promise<Record<string, unknown>> {
  const url = `${controlUrl(fleet)}/components/${encodeURIComponent(name)}/${action}`;
  const { status, text } = await request(query && Object.keys(query).length ? withQuery(url, query) : url, { method: 'POST', token: fleet.token, timeoutMs: 60_000 });
  if (status < 200 || status > 299) throw new Error(`killdrill: could not ${action} component '${name}': ${status} ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { reply: text };
  }
}

export function requireComponent(params: Record<string, unknown>, components: ComponentInfo[], field = 'target'): string | null {
  const target = params[field];
  if (typeof target !== 'string' || !target) return `needs '${field}': the name of a component (one of ${components.map((c) => c.name).join(', ')})`;
  if (!components.some((c) => c.name === target)) return `'${field}: ${target}' is not a component of this fleet; it has ${components.map((c) => c.name).join(', ')}`;
  return null;
}

/**
 * What faults can be aimed at: the control API's components (a simulated fleet), else the links of
 * the target's own Toxiproxy (GET /proxies, as `link` components), else nothing.
 */
export async function componentsOf(fleet: TargetEndpoints): Promise<ComponentInfo[]> {
  if (fleet.controlUrl) return listComponents(fleet);
  if (!fleet.proxyUrl) return [];
  const proxies = await getJson<Record<string, { name: string; enabled?: boolean }>>(`${fleet.proxyUrl}/proxies`, { timeoutMs: 5000, error: (status) => `killdrill: the target's Toxiproxy answered ${status} to GET /proxies; check toxiproxy.url` });
  return Object.values(proxies).map((p) => ({ name: p.name, kind: 'link', pid: null, state: p.enabled === false ? 'disabled' : 'enabled' }));
}
