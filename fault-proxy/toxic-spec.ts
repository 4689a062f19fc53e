// Toxic types, their attributes (Toxiproxy 2.12 names, units and defaults) and the
// parsing of toxic create/update bodies. Bad input becomes an ApiError, never a throw
// of anything else.
import { ApiError, badRequestBody, invalidStream, invalidToxicType } from './api-error.ts';

export const STREAMS = ['upstream', 'downstream'] as const;
export type Stream = (typeof STREAMS)[number];

type AttrKind = 'int' | 'string';
interface AttrSpec {
  kind: AttrKind;
  default: number | string;
}

/**
 * Attribute specs per type. Units as in Toxiproxy: latency/jitter/delay/timeout in ms,
 * bandwidth rate in KB/s, slicer delay in microseconds, limit_data bytes.
 * `redis_channel_drop` is a killdrill extension, not Toxiproxy.
 */
export const TOXIC_TYPES: Record<string, Record<string, AttrSpec>> = {
  noop: {},
  latency: { latency: { kind: 'int', default: 0 }, jitter: { kind: 'int', default: 0 } },
  bandwidth: { rate: { kind: 'int', default: 0 } },
  slow_close: { delay: { kind: 'int', default: 0 } },
  timeout: { timeout: { kind: 'int', default: 0 } },
  reset_peer: { timeout: { kind: 'int', default: 0 } },
  slicer: {
    average_size: { kind: 'int', default: 0 },
    size_variation: { kind: 'int', default: 0 },
    delay: { kind: 'int', default: 0 },
  },
  limit_data: { bytes: { kind: 'int', default: 0 } },
  redis_channel_drop: { channel: { kind: 'string', default: '' } },
};

export type Attributes = Record<string, number | string>;

export interface ToxicConfig {
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
  attributes: Attributes;
}

const CREATE_KEYS = new Set(['name', 'type', 'stream', 'toxicity', 'attributes']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKnownKeys(body: Record<string, unknown>, known: Set<string>, what: string): void {
  for (const key of Object.keys(body)) {
    if (!known.has(key)) {
      throw new ApiError(
        `killdrill: unknown field "${key}" in ${what}; allowed: ${[...known].join(', ')}`,
        400,
      );
    }
  }
}

function stringField(body: Record<string, unknown>, key: string, fallback: string): string {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw badRequestBody(`field "${key}" must be a string, got ${typeof v}`);
  return v;
}

function toxicityField(body: Record<string, unknown>, fallback: number): number {
  const v = body.toxicity;
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw badRequestBody('field "toxicity" must be a number from 0 to 1');
  }
  return v;
}

/** Merges `input` attributes over `base` for `type`, validating names, types and ranges. */
function mergeAttributes(type: string, base: Attributes, input: unknown): Attributes {
  const spec = TOXIC_TYPES[type];
  const out: Attributes = { ...base };
  if (input === undefined || input === null) return out;
  if (!isPlainObject(input)) throw badRequestBody('field "attributes" must be an object');
  for (const [key, value] of Object.entries(input)) {
    const attr = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (!attr) {
      const allowed = Object.keys(spec).join(', ') || '(none)';
      throw new ApiError(`killdrill: unknown attribute "${key}" for toxic type ${type}; allowed: ${allowed}`, 400);
    }
    if (value === null) continue;
    if (attr.kind === 'int') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw badRequestBody(`attribute "${key}" of ${type} must be a non-negative integer`);
      }
    } else if (typeof value !== 'string') {
      throw badRequestBody(`attribute "${key}" of ${type} must be a string`);
    }
    out[key] = value;
  }
  return out;
}

function validateToxic(config: ToxicConfig): void {
  const a = config.attributes;
  if (config.type === 'slicer' && (a.size_variation as number) > (a.average_size as number)) {
    throw badRequestBody('slicer size_variation must be at most average_size');
  }
  if (config.type === 'redis_channel_drop' && a.channel === '') {
    throw badRequestBody('redis_channel_drop needs a non-empty "channel" attribute');
  }
}

export function defaultAttributes(type: string): Attributes {
  const out: Attributes = {};
  for (const [key, spec] of Object.entries(TOXIC_TYPES[type])) out[key] = spec.default;
  return out;
}

/** Parses a POST /proxies/{p}/toxics body. `exists(name)` checks for a duplicate name. */
export function parseToxicCreate(body: unknown, exists: (name: string) => boolean): ToxicConfig {
  if (!isPlainObject(body)) throw badRequestBody('expected a JSON object');
  checkKnownKeys(body, CREATE_KEYS, 'toxic');
  const streamText = stringField(body, 'stream', 'downstream').toLowerCase();
  const type = stringField(body, 'type', '');
  const name = stringField(body, 'name', '');
  const toxicity = toxicityField(body, 1);
  if (!(STREAMS as readonly string[]).includes(streamText)) throw invalidStream();
  const stream = streamText as Stream;
  if (!Object.hasOwn(TOXIC_TYPES, type)) throw invalidToxicType();
  const finalName = name === '' ? `${type}_${stream}` : name;
  if (exists(finalName)) {
    throw new ApiError('toxic already exists', 409);
  }
  const attributes = mergeAttributes(type, defaultAttributes(type), body.attributes);
  const config: ToxicConfig = { name: finalName, type, stream, toxicity, attributes };
  validateToxic(config);
  return config;
}

/**
 * Parses a POST/PATCH /proxies/{p}/toxics/{t} body: attributes merge over the current
 * ones, toxicity keeps its value when absent. name/type/stream are accepted (the client
 * may send the whole toxic back) and ignored, as Toxiproxy does.
 */
export function parseToxicUpdate(current: ToxicConfig, body: unknown): ToxicConfig {
  if (!isPlainObject(body)) throw badRequestBody('expected a JSON object');
  checkKnownKeys(body, CREATE_KEYS, 'toxic');
  stringField(body, 'name', '');
  stringField(body, 'type', '');
  stringField(body, 'stream', '');
  const toxicity = toxicityField(body, current.toxicity);
  const attributes = mergeAttributes(current.type, current.attributes, body.attributes);
  const config: ToxicConfig = { ...current, toxicity, attributes };
  validateToxic(config);
  return config;
}

export { isPlainObject, checkKnownKeys, stringField };
