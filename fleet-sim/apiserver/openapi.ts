// OpenAPI v3 documents, just enough for kubectl: it reads them to learn that the server
// validates fields itself (the `fieldValidation` query parameter on PATCH), so it skips
// client-side schema validation, and that these kinds take JSON merge patches (not
// strategic merge), as for any custom resource. /openapi/v2 answers 404 (a protobuf-only
// endpoint kubectl falls back from).
import { GROUP, VERSION, RESOURCES, type ResourceDef } from './resources.ts';

const HASH = 'killdrill0001';

export const CRD_GV_PATH = 'apis/apiextensions.k8s.io/v1';

export function openapiV3Index(): unknown {
  return {
    paths: {
      [`apis/${GROUP}/${VERSION}`]: { serverRelativeURL: `/openapi/v3/apis/${GROUP}/${VERSION}?hash=${HASH}` },
      [CRD_GV_PATH]: { serverRelativeURL: `/openapi/v3/${CRD_GV_PATH}?hash=${HASH}` },
      'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${HASH}` },
    },
  };
}

/**
 * apiextensions.k8s.io/v1's PATCH of CustomResourceDefinition, with fieldValidation: what
 * kubectl consults for a kind it cannot find (a wrong apiVersion or kind), so it goes on to
 * its usual "no matches for kind" error instead of failing validation.
 */
export function openapiV3Crd(): unknown {
  return patchOnly('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}', 'apiextensions.k8s.io', 'CustomResourceDefinition');
}

/** core/v1 Namespace PATCH with fieldValidation: kubectl's probe for a kind that is no CRD. */
export function openapiV3Core(): unknown {
  return patchOnly('/api/v1/namespaces/{name}', '', 'Namespace');
}

function patchOnly(path: string, group: string, kind: string): unknown {
  const ext = { 'x-kubernetes-group-version-kind': { group, version: 'v1', kind } };
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4-killdrill' },
    paths: {
      [path]: {
        patch: {
          operationId: `patch${kind}`,
          'x-kubernetes-action': 'patch',
          ...ext,
          requestBody: { content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])), required: true },
          parameters: [param('fieldValidation', 'query')],
          responses: { '200': { description: 'OK' } },
        },
      },
    },
  };
}

function gvk(r: ResourceDef): Array<Record<string, string>> {
  return [{ group: GROUP, version: VERSION, kind: r.kind }];
}

function param(name: string, inWhere: 'query' | 'path'): unknown {
  return { name, in: inWhere, ...(inWhere === 'path' ? { required: true } : {}), schema: { type: 'string', uniqueItems: true } };
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

function itemPaths(r: ResourceDef, suffix: string): unknown {
  const ref = { $ref: `#/components/schemas/io.quantbot.v1.${r.kind}` };
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
  const ext = { 'x-kubernetes-group-version-kind': gvk(r)[0] };
  return {
    get: { operationId: `read${r.kind}${suffix}`, 'x-kubernetes-action': 'get', ...ext, responses: ok },
    put: {
      operationId: `replace${r.kind}${suffix}`,
      'x-kubernetes-action': 'put',
      ...ext,
      requestBody: { content: { 'application/json': { schema: ref } }, required: true },
      parameters: [param('dryRun', 'query'), param('fieldManager', 'query'), param('fieldValidation', 'query')],
      responses: ok,
    },
    patch: {
      operationId: `patch${r.kind}${suffix}`,
      'x-kubernetes-action': 'patch',
      ...ext,
      requestBody: { content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])), required: true },
      parameters: [param('dryRun', 'query'), param('fieldManager', 'query'), param('fieldValidation', 'query'), param('force', 'query')],
      responses: ok,
    },
    parameters: [param('name', 'path'), param('namespace', 'path')],
  };
}

function schema(r: ResourceDef): unknown {
  const spec =
    r.kind === 'KillSwitch'
      ? {
          type: 'object',
          required: ['scope', 'target', 'mode'],
          properties: {
            scope: { type: 'string', enum: ['bot', 'fleet', 'platform', 'asset', 'tenant', 'capability', 'run', 'group'] },
            target: { type: 'string' },
            mode: { type: 'string', enum: ['cancel', 'flatten', 'freeze'] },
            reason: { type: 'string' },
            ttl: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' },
          },
        }
      : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    type: 'object',
    'x-kubernetes-group-version-kind': gvk(r),
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
}

export function openapiV3GroupVersion(): unknown {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const r of Object.values(RESOURCES)) {
    const base = `/apis/${GROUP}/${VERSION}/namespaces/{namespace}/${r.plural}/{name}`;
    paths[base] = itemPaths(r, '');
    paths[`${base}/status`] = itemPaths(r, 'Status');
    schemas[`io.quantbot.v1.${r.kind}`] = schema(r);
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4-killdrill' }, paths, components: { schemas } };
}

function pbString(field: number, s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
}

function pbMessage(field: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, body.length]), body]);
}

/**
 * /openapi/v2: a minimal gnostic OpenAPIv2 `Document` in protobuf (swagger "2.0", info,
 * empty paths and definitions), the only encoding kubectl reads there. It publishes no
 * type, so for a kind the server does not serve (a typo in `kind`) kubectl skips
 * client-side schema validation and reports its usual "no matches for kind".
 */
export function openapiV2Protobuf(): Buffer {
  const info = Buffer.concat([pbString(1, 'Kubernetes'), pbString(2, 'v1.32.4-killdrill')]);
  return Buffer.concat([pbString(1, '2.0'), pbMessage(2, info), pbMessage(8, Buffer.alloc(0)), pbMessage(9, Buffer.alloc(0))]);
}
