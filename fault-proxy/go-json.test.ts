// The Go-compatible body reader on its own: what it accepts, and Go's exact error texts.
// (Side by side with the real Toxiproxy: differential.test.ts.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeStruct, goBool, goFloat32, goInt64, goString, GoJsonError, parseGoJson, type GoType, type JValue } from './go-json.ts';

const err = (text: string): string => {
  try {
    parseGoJson(text);
  } catch (e) {
    if (e instanceof GoJsonError) return e.message;
    throw e;
  }
  return 'ok';
};

/** A JValue back to plain JS, for comparing with JSON.parse. */
function plain(v: JValue): unknown {
  switch (v.kind) {
    case 'object':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, plain(x)]));
    case 'array':
      return v.items.map(plain);
    case 'number':
      return Number(v.text);
    case 'null':
      return null;
    default:
      return v.value;
  }
}

const INNER: GoType & { kind: 'struct' } = { kind: 'struct', goName: 'toxics.LatencyToxic', fields: { latency: goInt64 } };
const OUTER: GoType & { kind: 'struct' } = {
  kind: 'struct',
  goName: 'toxiproxy.Thing',
  fields: { name: goString, on: goBool, level: goFloat32, attributes: INNER },
};

function decode(text: string, target: Record<string, unknown> = {}): Record<string, unknown> | string {
  try {
    decodeStruct(parseGoJson(text), OUTER, target);
    return target;
  } catch (e) {
    if (e instanceof GoJsonError) return e.message;
    throw e;
  }
}

describe('parseGoJson', () => {
  it("gives Go's scanner messages", () => {
    expect(err('')).toBe('EOF');
    expect(err(' \n\t')).toBe('EOF');
    expect(err('{"a": ')).toBe('unexpected EOF');
    expect(err('{"a",')).toBe("invalid character ',' after object key");
    expect(err('{"a":1 "b"')).toBe('invalid character \'"\' after object key:value pair');
    expect(err('[1 2]')).toBe("invalid character '2' after array element");
    expect(err('{,}')).toBe("invalid character ',' looking for beginning of object key string");
    expect(err('nul')).toBe('unexpected EOF');
    expect(err('nulx')).toBe("invalid character 'x' in literal null (expecting 'l')");
    expect(err('"a\nb"')).toBe("invalid character '\\n' in string literal");
    expect(err("'a'")).toBe("invalid character '\\'' looking for beginning of value");
    expect(err('01')).toBe('ok');
    expect(err('{"a":01}')).toBe("invalid character '1' after object key:value pair");
  });

  it('reads the first value only, as Go\'s Decoder does', () => {
    expect(plain(parseGoJson('{"a":1} {"b":2} junk'))).toEqual({ a: 1 });
  });

  it('agrees with JSON.parse on every valid document, and only ever throws GoJsonError (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(plain(parseGoJson(JSON.stringify(v)))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          parseGoJson(s);
        } catch (e) {
          expect(e).toBeInstanceOf(GoJsonError);
        }
      }),
    );
  });
});

describe('decodeStruct', () => {
  it('matches names in any case, ignores unknown fields, keeps fields on null, merges repeated objects', () => {
    expect(decode('{"NAME":"x","extra":[1,{"y":2}],"on":null,"Attributes":{"latency":3},"attributes":{"jitter":4}}', { on: true })).toEqual({
      name: 'x',
      on: true,
      attributes: { latency: 3 },
    });
  });

  it("reports type errors as Go's json.Unmarshal does", () => {
    expect(decode('[]')).toBe('json: cannot unmarshal array into Go value of type toxiproxy.Thing');
    expect(decode('{"name":5}')).toBe('json: cannot unmarshal number into Go struct field Thing.name of type string');
    expect(decode('{"on":"yes"}')).toBe('json: cannot unmarshal string into Go struct field Thing.on of type bool');
    expect(decode('{"attributes":true}')).toBe('json: cannot unmarshal bool into Go struct field Thing.attributes of type toxics.LatencyToxic');
    expect(decode('{"attributes":{"latency":1.0}}')).toBe(
      'json: cannot unmarshal number 1.0 into Go struct field LatencyToxic.attributes.latency of type int64',
    );
    expect(decode('{"attributes":{"latency":9223372036854775808}}')).toMatch(/^json: cannot unmarshal number 9223372036854775808 /);
    expect(decode('{"level":1e39}')).toBe('json: cannot unmarshal number 1e39 into Go struct field Thing.level of type float32');
  });

  it('rounds a float32 to its shortest decimal, as Go prints it', () => {
    expect(decode('{"level":0.123456789}')).toEqual({ level: 0.12345679 });
    expect(decode('{"level":0.1}')).toEqual({ level: 0.1 });
  });
});
