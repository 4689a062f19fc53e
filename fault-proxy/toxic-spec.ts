// Toxic types, their attributes (Toxiproxy 2.12 names, units and defaults) and the
// parsing of toxic create/update bodies, read as Toxiproxy reads them (go-json.ts): the
// same values are accepted (negative attributes, any toxicity, unknown fields ignored) and
// the same errors given. Bad input becomes an ApiError, never a throw of anything else.
import { ApiError, badRequestBody, invalidStream, invalidToxicType, toxicAlreadyExists } from './api-error.ts';
import { goFloat32, goInt, goInt64, goString, type GoType } from './go-json.ts';
import { decodeOrThrow, readGoBody } from './api-body.ts';

export const STREAMS = ['upstream', 'downstream'] as const;
export type Stream = (typeof STREAMS)[number];

type AttrKind = 'int' | 'string';
/** Go's struct per toxic type (its name appears in Toxiproxy's type errors) and int width. */
const GO_STRUCTS: Record<string, { goName: string; int: GoType }> = {
  noop: { goName: 'toxics.NoopToxic', int: goInt64 },
  latency: { goName: 'toxics.LatencyToxic', int: goInt64 },
  bandwidth: { goName: 'toxics.BandwidthToxic', int: goInt64 },
  slow_close: { goName: 'toxics.SlowCloseToxic', int: goInt64 },
  timeout: { goName: 'toxics.TimeoutToxic', int: goInt64 },
  reset_peer: { goName: 'toxics.ResetToxic', int: goInt64 },
  slicer: { goName: 'toxics.SlicerToxic', int: goInt },
  limit_data: { goName: 'toxics.LimitDataToxic', int: goInt64 },
  redis_channel_drop: { goName: 'toxics.RedisChannelDropToxic', int: goInt64 },
};
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
  /** First, as Toxiproxy writes it. */
  attributes: Attributes;
  name: string;
  type: string;
  /** As the client wrote it (Toxiproxy keeps "UPSTREAM" as sent); see streamOf. */
  stream: string;
  toxicity: number;
}

/** The direction a toxic acts on (its `stream`, case-insensitive). */
export function streamOf(config: ToxicConfig): Stream {
  return config.stream.toLowerCase() === 'upstream' ? 'upstream' : 'downstream';
}

function attributesType(type: string): GoType & { kind: 'struct' } {
  const fields: Record<string, GoType> = {};
  for (const [key, spec] of Object.entries(TOXIC_TYPES[type])) fields[key] = spec.kind === 'int' ? GO_STRUCTS[type].int : goString;
  return { kind: 'struct', goName: GO_STRUCTS[type].goName, fields };
}

/** The first decode of a create body: Toxiproxy's ToxicWrapper, attributes still a NoopToxic. */
const TOXIC_WRAPPER: GoType & { kind: 'struct' } = {
  kind: 'struct',
  goName: 'toxics.ToxicWrapper',
  fields: {
    attributes: { kind: 'struct', goName: 'toxics.NoopToxic', fields: {} },
    name: goString,
    type: goString,
    stream: goString,
    toxicity: goFloat32,
  },
};

function anonymous(fields: Record<string, GoType>, goFields: string): GoType & { kind: 'struct' } {
  return { kind: 'struct', goName: `struct { ${goFields} }`, fields };
}

function validateToxic(config: ToxicConfig): void {
  if (config.type === 'redis_channel_drop' && config.attributes.channel === '') {
    throw new ApiError('killdrill: redis_channel_drop needs a non-empty "channel" attribute; give the pub/sub channel to drop', 400);
  }
}

export function defaultAttributes(type: string): Attributes {
  const out: Attributes = {};
  for (const [key, spec] of Object.entries(TOXIC_TYPES[type])) out[key] = spec.default;
  return out;
}

/** Parses a POST /proxies/{p}/toxics body (its text). `exists(name)` checks for a duplicate name. */
export function parseToxicCreate(text: string, exists: (name: string) => boolean): ToxicConfig {
  const value = readGoBody(text);
  const wrapper: Record<string, unknown> = { name: '', type: '', stream: 'downstream', toxicity: 1 };
  decodeOrThrow(value, TOXIC_WRAPPER, wrapper);
  const stream = wrapper.stream as string;
  if (!(STREAMS as readonly string[]).includes(stream.toLowerCase())) throw invalidStream();
  const type = wrapper.type as string;
  const name = (wrapper.name as string) === '' ? `${type}_${stream}` : (wrapper.name as string);
  if (!Object.hasOwn(TOXIC_TYPES, type)) throw invalidToxicType();
  if (exists(name)) throw toxicAlreadyExists();
  const attrs: Record<string, unknown> = { attributes: defaultAttributes(type) };
  decodeOrThrow(value, anonymous({ attributes: attributesType(type) }, 'Attributes interface {} "json:\\"attributes\\""'), attrs);
  const config: ToxicConfig = {
    attributes: attrs.attributes as Attributes,
    name,
    type,
    stream,
    toxicity: wrapper.toxicity as number,
  };
  validateToxic(config);
  return config;
}

/**
 * Parses a POST/PATCH /proxies/{p}/toxics/{t} body (its text): attributes merge over the
 * current ones, toxicity keeps its value when absent or null; anything else is ignored,
 * as Toxiproxy does.
 */
export function parseToxicUpdate(current: ToxicConfig, text: string): ToxicConfig {
  const value = readGoBody(text);
  const target: Record<string, unknown> = { attributes: { ...current.attributes }, toxicity: current.toxicity };
  const t = anonymous(
    { attributes: attributesType(current.type), toxicity: goFloat32 },
    'Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\""',
  );
  decodeOrThrow(value, t, target);
  const config: ToxicConfig = { ...current, attributes: target.attributes as Attributes, toxicity: target.toxicity as number };
  validateToxic(config);
  return config;
}

