// The resources this apiserver serves: quantbot.io/v1 KillSwitch and Bot (namespaced, with
// the status subresource) and core/v1 Namespace (read-only, derived). Discovery documents.
// The names are the wire contract's (contracts/resources.ts).
import {
  BOT_KIND, BOT_PLURAL, KILLSWITCH_KIND, KILLSWITCH_PLURAL, KUBE_GROUP as GROUP, KUBE_GROUP_VERSION as GROUP_VERSION, KUBE_NAMESPACE, KUBE_VERSION as VERSION,
} from '../../contracts/index.ts';

export { GROUP, VERSION, GROUP_VERSION };
export const DEFAULT_NAMESPACE = KUBE_NAMESPACE;

export interface ResourceDef {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  /** Extra printer columns for `kubectl get` (JSON path into the object). */
  columns: Array<{ name: string; type: string; path: string[] }>;
}

export const RESOURCES: Record<string, ResourceDef> = {
  [KILLSWITCH_PLURAL]: {
    plural: KILLSWITCH_PLURAL,
    singular: 'killswitch',
    kind: KILLSWITCH_KIND,
    listKind: `${KILLSWITCH_KIND}List`,
    shortNames: ['ks'],
    columns: [
      { name: 'Scope', type: 'string', path: ['spec', 'scope'] },
      { name: 'Target', type: 'string', path: ['spec', 'target'] },
      { name: 'Mode', type: 'string', path: ['spec', 'mode'] },
      { name: 'Engaged', type: 'boolean', path: ['status', 'engaged'] },
    ],
  },
  [BOT_PLURAL]: {
    plural: BOT_PLURAL,
    singular: 'bot',
    kind: BOT_KIND,
    listKind: `${BOT_KIND}List`,
    shortNames: [],
    columns: [
      { name: 'Phase', type: 'string', path: ['status', 'phase'] },
      { name: 'KillSwitch', type: 'boolean', path: ['status', 'killSwitchEngaged'] },
    ],
  },
};

const VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

export function serverVersion(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.4-killdrill',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T00:00:00Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(hostPort: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }] };
}

export function coreResourceList(): unknown {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] }],
  };
}

function apiGroup(): Record<string, unknown> {
  const gv = { groupVersion: GROUP_VERSION, version: VERSION };
  return { name: GROUP, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [apiGroup()] };
}

export function apiGroupDoc(): unknown {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup() };
}

export function groupResourceList(): unknown {
  const resources: unknown[] = [];
  for (const r of Object.values(RESOURCES)) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: true,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      categories: ['quantbot'],
      storageVersionHash: Buffer.from(r.kind).toString('base64').slice(0, 11),
    });
    resources.push({ name: `${r.plural}/status`, singularName: '', namespaced: true, kind: r.kind, verbs: ['get', 'patch', 'update'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: GROUP_VERSION, resources };
}

/** The CustomResourceDefinitions these resources would have in a cluster (read-only view). */
export function crdList(): unknown {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinitionList',
    metadata: { resourceVersion: '1' },
    items: Object.values(RESOURCES).map((r) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${r.plural}.${GROUP}`, uid: `00000000-0000-4000-8000-${Buffer.from(r.plural).toString('hex').padEnd(12, '0').slice(0, 12)}`, resourceVersion: '1', generation: 1, creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: {
        group: GROUP,
        names: { plural: r.plural, singular: r.singular, kind: r.kind, listKind: r.listKind, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}), categories: ['quantbot'] },
        scope: 'Namespaced',
        versions: [{ name: VERSION, served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
      status: { conditions: [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }], acceptedNames: { plural: r.plural, kind: r.kind }, storedVersions: [VERSION] },
    })),
  };
}
