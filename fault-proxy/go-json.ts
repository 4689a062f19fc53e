// Request bodies read the way Toxiproxy (Go's encoding/json Decoder) reads them, so a
// client sees the same acceptance and the same error text: one JSON value is read and
// anything after it ignored; field names match case-insensitively; unknown fields are
// ignored; null leaves a field as it was; a wrong type is reported as Go reports it
// ("json: cannot unmarshal string into Go struct field Proxy.name of type string").
// Syntax errors carry Go's scanner messages ("invalid character '}' after object key").

/** A parsed JSON value; numbers keep their text (Go decodes integers from the text). */
export type JValue =
  | { kind: 'object'; entries: [string, JValue][] }
  | { kind: 'array'; items: JValue[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** A decode failure with Go's message (without the "bad request body: " prefix). */
export class GoJsonError extends Error {}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const named: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v', 0x5c: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16)}'`;
  return `'${String.fromCharCode(c)}'`;
}

class Scanner {
  private i = 0;
  private readonly b: Buffer;
  constructor(b: Buffer) {
    this.b = b;
  }

  private fail(context: string): never {
    if (this.i >= this.b.length) throw new GoJsonError('unexpected EOF');
    throw new GoJsonError(`invalid character ${quoteChar(this.b[this.i])} ${context}`);
  }

  private skipWs(): void {
    while (this.i < this.b.length && WS.has(this.b[this.i])) this.i++;
  }

  /** The first value of the input (Decoder.Decode); "EOF" when there is none. */
  top(): JValue {
    this.skipWs();
    if (this.i >= this.b.length) throw new GoJsonError('EOF');
    return this.value();
  }

  private value(): JValue {
    this.skipWs();
    const c = this.b[this.i];
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return { kind: 'string', value: this.string() };
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return (this.literal('true'), { kind: 'bool', value: true });
    if (c === 0x66) return (this.literal('false'), { kind: 'bool', value: false });
    if (c === 0x6e) return (this.literal('null'), { kind: 'null' });
    return this.fail('looking for beginning of value');
  }

  private object(): JValue {
    this.i++;
    const entries: [string, JValue][] = [];
    this.skipWs();
    if (this.b[this.i] === 0x7d) {
      this.i++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skipWs();
      if (this.b[this.i] !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipWs();
      if (this.b[this.i] !== 0x3a) this.fail('after object key');
      this.i++;
      entries.push([key, this.value()]);
      this.skipWs();
      if (this.b[this.i] === 0x2c) {
        this.i++;
        continue;
      }
      if (this.b[this.i] === 0x7d) {
        this.i++;
        return { kind: 'object', entries };
      }
      this.fail('after object key:value pair');
    }
  }

  private array(): JValue {
    this.i++;
    const items: JValue[] = [];
    this.skipWs();
    if (this.b[this.i] === 0x5d) {
      this.i++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.skipWs();
      if (this.b[this.i] === 0x2c) {
        this.i++;
        continue;
      }
      if (this.b[this.i] === 0x5d) {
        this.i++;
        return { kind: 'array', items };
      }
      this.fail('after array element');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.b.length) this.fail('in string literal');
      const c = this.b[this.i];
      if (c === 0x22) break;
      if (c < 0x20) this.fail('in string literal');
      if (c === 0x5c) {
        this.i++;
        if (this.i >= this.b.length) this.fail('in string escape code');
        const e = this.b[this.i];
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            this.i++;
            const h = this.b[this.i];
            const hex = (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
            if (!hex) this.fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          this.fail('in string escape code');
        }
      }
      this.i++;
    }
    this.i++;
    return JSON.parse(this.b.toString('utf8', start, this.i)) as string;
  }

  private digits(): void {
    while (this.b[this.i] >= 0x30 && this.b[this.i] <= 0x39) this.i++;
  }

  private isDigit(): boolean {
    return this.b[this.i] >= 0x30 && this.b[this.i] <= 0x39;
  }

  private number(): JValue {
    const start = this.i;
    if (this.b[this.i] === 0x2d) {
      this.i++;
      if (!this.isDigit()) this.fail('in numeric literal');
    }
    if (this.b[this.i] === 0x30) this.i++;
    else this.digits();
    if (this.b[this.i] === 0x2e) {
      this.i++;
      if (!this.isDigit()) this.fail('after decimal point in numeric literal');
      this.digits();
    }
    if (this.b[this.i] === 0x65 || this.b[this.i] === 0x45) {
      this.i++;
      if (this.b[this.i] === 0x2b || this.b[this.i] === 0x2d) this.i++;
      if (!this.isDigit()) this.fail('in exponent of numeric literal');
      this.digits();
    }
    return { kind: 'number', text: this.b.toString('latin1', start, this.i) };
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.b[this.i] !== word.charCodeAt(k)) this.fail(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      this.i++;
    }
  }
}

/** Reads the first JSON value of `body`, as Go's json.Decoder does. */
export function parseGoJson(body: Buffer | string): JValue {
  return new Scanner(typeof body === 'string' ? Buffer.from(body, 'utf8') : body).top();
}

/** A Go type a body is decoded into. `goName` is how Go prints it in an error. */
export type GoType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int'; goName: 'int' | 'int64' }
  | { kind: 'float32' }
  | { kind: 'struct'; goName: string; fields: Record<string, GoType> };

export const goString: GoType = { kind: 'string' };
export const goBool: GoType = { kind: 'bool' };
export const goInt64: GoType = { kind: 'int', goName: 'int64' };
export const goInt: GoType = { kind: 'int', goName: 'int' };
export const goFloat32: GoType = { kind: 'float32' };

/** Go's UnmarshalTypeError Value: the JSON kind ("number 1.5" when a number does not fit). */
function kindName(v: JValue): string {
  return v.kind === 'bool' ? 'bool' : v.kind;
}

function typeName(t: GoType): string {
  if (t.kind === 'int' || t.kind === 'struct') return t.goName;
  return t.kind;
}

/** The short struct name Go prints before a field path ("Proxy", or "" for an anonymous struct). */
function shortName(t: GoType): string {
  if (t.kind !== 'struct' || t.goName.startsWith('struct {')) return '';
  return t.goName.slice(t.goName.lastIndexOf('.') + 1);
}

const INT64_MAX = 9223372036854775807n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** A float32's shortest decimal, as Go prints it. */
function float32Value(x: number): number {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return f;
}

interface Context {
  /** The innermost struct's short name, for "Go struct field X.path". */
  struct: string;
  path: string[];
}

function typeError(value: string, t: GoType, ctx: Context | undefined): GoJsonError {
  if (!ctx) return new GoJsonError(`json: cannot unmarshal ${value} into Go value of type ${typeName(t)}`);
  return new GoJsonError(`json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.path.join('.')} of type ${typeName(t)}`);
}

function findField(fields: Record<string, GoType>, key: string): string | undefined {
  if (Object.hasOwn(fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(fields).find((f) => f.toLowerCase() === lower);
}

function decodeScalar(v: JValue, t: GoType, ctx: Context | undefined): unknown {
  switch (t.kind) {
    case 'string':
      if (v.kind !== 'string') throw typeError(kindName(v), t, ctx);
      return v.value;
    case 'bool':
      if (v.kind !== 'bool') throw typeError(kindName(v), t, ctx);
      return v.value;
    case 'int': {
      if (v.kind !== 'number') throw typeError(kindName(v), t, ctx);
      const ok = /^-?\d+$/.test(v.text) && BigInt(v.text) <= INT64_MAX && BigInt(v.text) >= -INT64_MAX - 1n;
      if (!ok) throw typeError(`number ${v.text}`, t, ctx);
      return Number(v.text);
    }
    case 'float32': {
      if (v.kind !== 'number') throw typeError(kindName(v), t, ctx);
      const x = Number(v.text);
      if (Math.abs(x) > FLOAT32_MAX) throw typeError(`number ${v.text}`, t, ctx);
      return float32Value(x);
    }
    default:
      throw new Error('unreachable');
  }
}

/**
 * Decodes `v` into `target` (a struct's current values, changed in place), as Go's
 * json.Unmarshal does into a struct: fields in document order, null keeps a field, the
 * first type error is thrown. `ctx` is the enclosing field (undefined at top level).
 */
export function decodeStruct(v: JValue, t: GoType & { kind: 'struct' }, target: Record<string, unknown>, ctx?: Context): void {
  if (v.kind === 'null') return;
  if (v.kind !== 'object') throw typeError(kindName(v), t, ctx);
  const path = ctx?.path ?? [];
  for (const [key, value] of v.entries) {
    const field = findField(t.fields, key);
    if (field === undefined || value.kind === 'null') continue;
    const ft = t.fields[field];
    const inner: Context = { struct: shortName(t), path: [...path, field] };
    if (ft.kind === 'struct') {
      const current = target[field];
      const obj = typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : {};
      decodeStruct(value, ft, obj, inner);
      target[field] = obj;
    } else {
      target[field] = decodeScalar(value, ft, inner);
    }
  }
}
