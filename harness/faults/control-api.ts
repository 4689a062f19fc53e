// The fleet's process control API (docs/contracts.md §8): what containers are to the docker runtime.
import type { ComponentInfo } from './types.ts';
import type { FleetEndpoints } from '../runtime/index.ts';

export async function listComponents(fleet: FleetEndpoints): Promise<ComponentInfo[]> {
  const res = await fetch(`${fleet.controlUrl}/components`, { headers: { authorization: `Bearer ${fleet.token}` }, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`killdrill: fleet control API answered ${res.status} to GET /components`);
  return (await res.json()) as ComponentInfo[];
}

export async function controlComponent(fleet: FleetEndpoints, name: string, action: 'kill' | 'pause' | 'resume' | 'restart' | 'stop' | 'start' | 'disconnect' | 'connect' | 'rogue' | 'obey'): Promise<Record<string, unknown>> {
  const res = await fetch(`${fleet.controlUrl}/components/${encodeURIComponent(name)}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fleet.token}` },
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`killdrill: could not ${action} component '${name}': ${res.status} ${text.slice(0, 300)}`);
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
