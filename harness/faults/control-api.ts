// The fleet's process control API (docs/contracts.md §8): what containers are to the docker runtime.
import type { ComponentInfo } from './types.ts';
import type { FleetEndpoints } from '../runtime/index.ts';
import { getJson, request } from '../../lib/http.ts';

export async function listComponents(fleet: FleetEndpoints): Promise<ComponentInfo[]> {
  return getJson<ComponentInfo[]>(`${fleet.controlUrl}/components`, { token: fleet.token, timeoutMs: 5000, error: (status) => `killdrill: fleet control API answered ${status} to GET /components` });
}

export async function controlComponent(fleet: FleetEndpoints, name: string, action: 'kill' | 'pause' | 'resume' | 'restart' | 'stop' | 'start' | 'disconnect' | 'connect' | 'rogue' | 'obey'): Promise<Record<string, unknown>> {
  const { status, text } = await request(`${fleet.controlUrl}/components/${encodeURIComponent(name)}/${action}`, { method: 'POST', token: fleet.token, timeoutMs: 60_000 });
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
