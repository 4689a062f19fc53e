// Request bodies of the API read as Toxiproxy reads them (go-json.ts); Go's syntax and
// type errors become Toxiproxy's 400 "bad request body: ...".
import { badRequestBody } from './api-error.ts';
import { decodeStruct, GoJsonError, parseGoJson, type GoType, type JValue } from './go-json.ts';

/** The first JSON value of a body, as Go's json.Decoder reads it. */
export function readGoBody(text: string): JValue {
  try {
    return parseGoJson(text);
  } catch (err) {
    if (err instanceof GoJsonError) throw badRequestBody(err.message);
    throw err;
  }
}

/** Decodes `v` into `target` (defaults in place) as Go's json.Unmarshal into a struct would. */
export function decodeOrThrow(v: JValue, t: GoType & { kind: 'struct' }, target: Record<string, unknown>): void {
  try {
    decodeStruct(v, t, target);
  } catch (err) {
    if (err instanceof GoJsonError) throw badRequestBody(err.message);
    throw err;
  }
}
