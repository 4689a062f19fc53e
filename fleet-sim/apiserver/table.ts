// meta.k8s.io/v1 Table responses, which `kubectl get` asks for (Accept: …;as=Table):
// NAME, the resource's printer columns, AGE — the server-side printing of a CRD.
import type { ResourceDef } from './resources.ts';
import type { KubeObject } from './store.ts';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(',')[0] ?? '');
}

/** kubectl's HumanDuration: 45s, 3m20s, 15m, 2h10m, 30h, 5d. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function cell(o: KubeObject, path: string[]): unknown {
  let cur: unknown = o;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur ?? null;
}

export function toTable(def: ResourceDef, items: KubeObject[], resourceVersion: string, includeObject: string | null): unknown {
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      ...def.columns.map((c) => ({ name: c.name, type: c.type, format: '', description: `.${c.path.join('.')}`, priority: 0 })),
      { name: 'Age', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
    ],
    rows: items.map((o) => ({
      cells: [o.metadata.name, ...def.columns.map((c) => cell(o, c.path)), humanAge(now - Date.parse(o.metadata.creationTimestamp))],
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? o
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
