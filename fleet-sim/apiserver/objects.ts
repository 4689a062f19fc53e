// CRUD on quantbot.io/v1 objects: create, get, list, update, patch, delete, each with the
// status-subresource split (spec writes keep status; /status writes change only status).
import { randomBytes } from 'node:crypto';
import { GROUP, GROUP_VERSION, type ResourceDef } from './resources.ts';
import { ApiError, badRequest, invalid } from './status.ts';
import { jsonPatch, mergePatch } from './patch.ts';
import { unknownFields, validateKillSwitchSpec, validateName } from './validation.ts';
import type { KubeObject, Store } from './store.ts';
import type { BodyFormat } from './http-io.ts';

export interface WriteOptions {
  fieldValidation: string | null;
  dryRun: boolean;
  /** Warnings to send back (`Warning:` headers). */
  warnings: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Check the body's type, apiVersion and kind; a Status the way the apiserver words it. */
function asObject(def: ResourceDef, body: unknown): Record<string, unknown> {
  if (!isObj(body)) throw badRequest(`the object provided is unrecognized (must be of type ${def.kind}): couldn't get version/kind; json parse error: expected a JSON object`);
  if (body.apiVersion !== undefined && body.apiVersion !== GROUP_VERSION)
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${GROUP_VERSION})`);
  if (body.kind !== undefined && body.kind !== def.kind)
    throw badRequest(`${String(body.kind)} in version "v1" cannot be handled as a ${def.kind}: the kind in the data (${String(body.kind)}) does not match the expected kind (${def.kind})`);
  if (body.metadata !== undefined && !isObj(body.metadata))
    throw badRequest(`${def.kind} in version "v1" cannot be handled as a ${def.kind}: json: cannot unmarshal into Go struct field ${def.kind}.metadata of type v1.ObjectMeta`);
  return body;
}

/** Unknown fields: fieldValidation=Strict rejects them, otherwise they are dropped with a warning. */
function pruneUnknown(def: ResourceDef, obj: Record<string, unknown>, opts: WriteOptions): void {
  const unknown = unknownFields(def.kind, obj);
  if (!unknown.length) return;
  if (opts.fieldValidation === 'Strict')
    throw badRequest(`${def.kind} in version "v1" cannot be handled as a ${def.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
  for (const u of unknown) {
    const parts = u.split('.');
    let cur: Record<string, unknown> = obj;
    for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
    delete cur[parts[parts.length - 1]];
    if (opts.fieldValidation !== 'Ignore') opts.warnings.push(`unknown field "${u}"`);
  }
}

function validate(def: ResourceDef, o: KubeObject): void {
  const causes = validateName(o.metadata.name);
  if (def.kind === 'KillSwitch') causes.push(...validateKillSwitchSpec(o.spec));
  if (causes.length) throw invalid(def.kind, GROUP, String(o.metadata.name ?? ''), causes);
}

function normalize(def: ResourceDef, body: Record<string, unknown>, ns: string): KubeObject {
  const meta = { ...((body.metadata as Record<string, unknown>) ?? {}) };
  if (meta.namespace !== undefined && meta.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) meta.name = meta.generateName + randomBytes(3).toString('hex').slice(0, 5);
  delete meta.managedFields;
  return { ...body, apiVersion: GROUP_VERSION, kind: def.kind, metadata: { ...meta, namespace: ns } } as KubeObject;
}

export function createObject(store: Store, def: ResourceDef, ns: string, body: unknown, opts: WriteOptions): KubeObject {
  const raw = asObject(def, body);
  pruneUnknown(def, raw, opts);
  const o = normalize(def, raw, ns);
  delete o.status; // status is the status subresource's: ignored on create
  validate(def, o);
  if (opts.dryRun) return { ...o, metadata: { ...o.metadata, uid: '', generation: 1, creationTimestamp: new Date().toISOString() } };
  return store.create(def.plural, o);
}

export function updateObject(store: Store, def: ResourceDef, ns: string, name: string, body: unknown, sub: 'status' | undefined, opts: WriteOptions): KubeObject {
  const raw = asObject(def, body);
  pruneUnknown(def, raw, opts);
  const o = normalize(def, raw, ns);
  if (o.metadata.name !== name) throw badRequest(`the name of the object (${String(o.metadata.name)}) does not match the name on the URL (${name})`);
  const rv = typeof o.metadata.resourceVersion === 'string' && o.metadata.resourceVersion ? o.metadata.resourceVersion : undefined;
  if (sub !== 'status') validate(def, o);
  if (opts.dryRun) return o;
  return store.update(def.plural, o, sub, rv);
}

export function patchObject(
  store: Store,
  def: ResourceDef,
  ns: string,
  name: string,
  patch: unknown,
  format: BodyFormat,
  sub: 'status' | undefined,
  opts: WriteOptions,
): { object: KubeObject; created: boolean } {
  let cur: KubeObject;
  try {
    cur = store.get(def.plural, ns, name);
  } catch (err) {
    // server-side apply creates what does not exist yet
    if (format === 'apply' && sub === undefined && err instanceof ApiError && err.status.code === 404) {
      return { object: createObject(store, def, ns, patch, opts), created: true };
    }
    throw err;
  }
  if (format !== 'json-patch' && !isObj(patch)) throw badRequest('the server rejected our request due to an error in our request: json: cannot unmarshal array into Go value of type map[string]interface {}');
  if (format === 'apply') asObject(def, patch);
  const result = format === 'json-patch' ? jsonPatch(cur, patch) : mergePatch(cur, patch);
  if (!isObj(result)) throw badRequest('the patch does not produce an object');
  const next = asObject(def, result);
  pruneUnknown(def, next, opts);
  const o = normalize(def, next, ns);
  if (o.metadata.name !== name) throw badRequest(`metadata.name: Invalid value: "${String(o.metadata.name)}": field is immutable`);
  const rv = o.metadata.resourceVersion !== cur.metadata.resourceVersion ? String(o.metadata.resourceVersion ?? '') : undefined;
  if (sub !== 'status') validate(def, o);
  if (opts.dryRun) return { object: o, created: false };
  return { object: store.update(def.plural, o, sub, rv), created: false };
}

export function deleteObject(store: Store, def: ResourceDef, ns: string, name: string, body: unknown, dryRun: boolean): KubeObject {
  const pre = isObj(body) && isObj(body.preconditions) ? body.preconditions : {};
  const cur = store.get(def.plural, ns, name);
  if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== cur.metadata.resourceVersion)
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${def.plural}.${GROUP} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`, { name, group: GROUP, kind: def.plural });
  if (dryRun) return cur;
  return store.delete(def.plural, ns, name, typeof pre.uid === 'string' ? pre.uid : undefined);
}

export function listDoc(def: ResourceDef, items: KubeObject[], rv: number): unknown {
  return { apiVersion: GROUP_VERSION, kind: def.listKind, metadata: { resourceVersion: String(rv) }, items };
}
