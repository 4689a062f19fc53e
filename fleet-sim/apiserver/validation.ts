// Admission checks, with the field paths and wording a CRD's structural schema gives:
// metadata.name (RFC 1123 subdomain), KillSwitch spec (scope, target, mode, ttl), and,
// under fieldValidation=Strict, unknown fields.
import type { StatusCause } from './status.ts';

export const KILL_SCOPES = ['bot', 'fleet', 'platform', 'asset', 'tenant', 'capability', 'run', 'group'];
export const KILL_MODES = ['cancel', 'flatten', 'freeze'];
const TTL = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SPEC_FIELDS = ['scope', 'target', 'mode', 'reason', 'ttl'];

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

function supported(field: string, value: unknown, allowed: string[]): StatusCause {
  return { reason: 'FieldValueNotSupported', field, message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` };
}

const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', field, message: 'Required value' });

function wrongType(field: string, v: unknown, want: string): StatusCause {
  return { reason: 'FieldValueTypeInvalid', field, message: `Invalid value: "${typeOf(v)}": ${field} in body must be of type ${want}: "${typeOf(v)}"` };
}

export function validateName(name: unknown): StatusCause[] {
  if (typeof name !== 'string' || name === '') return [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }];
  if (name.length > 253 || !NAME.test(name))
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  return [];
}

/** Go duration-style ttl (`1h`, `30m`, `10s`, `1h30m`) → seconds; null when malformed. */
export function parseTtlS(ttl: string): number | null {
  if (!TTL.test(ttl)) return null;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of ttl.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

export function validateKillSwitchSpec(spec: unknown): StatusCause[] {
  if (spec === undefined || spec === null) return [required('spec')];
  if (typeOf(spec) !== 'object') return [wrongType('spec', spec, 'object')];
  const s = spec as Record<string, unknown>;
  const causes: StatusCause[] = [];
  for (const f of ['scope', 'target', 'mode', 'reason', 'ttl']) {
    if (s[f] !== undefined && typeof s[f] !== 'string') causes.push(wrongType(`spec.${f}`, s[f], 'string'));
  }
  if (causes.length) return causes;
  if (s.scope === undefined) causes.push(required('spec.scope'));
  else if (!KILL_SCOPES.includes(s.scope as string)) causes.push(supported('spec.scope', s.scope, KILL_SCOPES));
  if (s.target === undefined || s.target === '') causes.push(required('spec.target'));
  else if (s.scope === 'platform' && s.target !== 'platform')
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.target', message: `Invalid value: ${JSON.stringify(s.target)}: must be "platform" when spec.scope is platform` });
  if (s.mode === undefined) causes.push(required('spec.mode'));
  else if (!KILL_MODES.includes(s.mode as string)) causes.push(supported('spec.mode', s.mode, KILL_MODES));
  if (s.ttl !== undefined && parseTtlS(s.ttl as string) === null)
    causes.push({ reason: 'FieldValueInvalid', field: 'spec.ttl', message: `Invalid value: ${JSON.stringify(s.ttl)}: spec.ttl in body should match '${TTL.source}'` });
  return causes;
}

const TOP = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const META = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'labels', 'annotations', 'generateName', 'managedFields', 'finalizers', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'];

/** Fields a strict decoder would reject (`.spec.foo`), for fieldValidation=Strict. */
export function unknownFields(kind: string, obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(obj)) if (!TOP.includes(k)) out.push(k);
  const meta = obj.metadata;
  if (meta && typeof meta === 'object') for (const k of Object.keys(meta)) if (!META.includes(k)) out.push(`metadata.${k}`);
  const spec = obj.spec;
  if (kind === 'KillSwitch' && spec && typeof spec === 'object' && !Array.isArray(spec))
    for (const k of Object.keys(spec)) if (!SPEC_FIELDS.includes(k)) out.push(`spec.${k}`);
  return out;
}
