// PATCH bodies: JSON merge patch (RFC 7386; strategic merge is treated as merge, as for
// any custom resource) and JSON patch (RFC 6902).
import { badRequest, ApiError } from './status.ts';

type J = unknown;
const isObj = (v: J): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: J, patch: J): J {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, J> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer ${JSON.stringify(p)}`);
  return p.slice(1).split('/').map(unescape);
}

function parentOf(doc: J, path: string[], op: string): { parent: Record<string, J> | J[]; last: string } {
  let cur: J = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw new ApiError(422, 'Invalid', `${op} operation does not apply: doc is missing path: "/${path.join('/')}"`);
  return { parent: cur, last: path[path.length - 1] };
}

function getAt(doc: J, path: string[]): J {
  let cur: J = doc;
  for (const seg of path) cur = Array.isArray(cur) ? cur[Number(seg)] : isObj(cur) ? cur[seg] : undefined;
  return cur;
}

function setAt(doc: J, path: string[], value: J, insert: boolean, op: string): J {
  if (path.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, path, op);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (insert) parent.splice(i, 0, structuredClone(value));
    else parent[i] = structuredClone(value);
  } else {
    if (!insert && !(last in parent)) throw new ApiError(422, 'Invalid', `replace operation does not apply: doc is missing key: /${path.join('/')}: missing value`);
    parent[last] = structuredClone(value);
  }
  return doc;
}

function removeAt(doc: J, path: string[]): J {
  const { parent, last } = parentOf(doc, path, 'remove');
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else {
    if (!(last in parent)) throw new ApiError(422, 'Invalid', `remove operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
    delete parent[last];
  }
  return doc;
}

export function jsonPatch(doc: J, ops: J): J {
  if (!Array.isArray(ops)) throw badRequest('the server rejected our request due to an error in our request: json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const raw of ops) {
    if (!isObj(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw badRequest('the server rejected our request due to an error in our request: invalid JSON patch operation');
    const path = parsePointer(raw.path);
    switch (raw.op) {
      case 'add':
        out = setAt(out, path, raw.value, true, 'add');
        break;
      case 'replace':
        out = setAt(out, path, raw.value, false, 'replace');
        break;
      case 'remove':
        out = removeAt(out, path);
        break;
      case 'test':
        if (JSON.stringify(getAt(out, path)) !== JSON.stringify(raw.value)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value /${path.join('/')} failed: test failed`);
        break;
      case 'move':
      case 'copy': {
        const from = parsePointer(String(raw.from ?? ''));
        const v = getAt(out, from);
        if (v === undefined) throw new ApiError(422, 'Invalid', `${raw.op} operation does not apply: doc is missing from path: ${raw.from}`);
        if (raw.op === 'move') out = removeAt(out, from);
        out = setAt(out, path, v, true, raw.op);
        break;
      }
      default:
        throw badRequest(`the server rejected our request due to an error in our request: Unexpected kind: ${raw.op}`);
    }
  }
  return out;
}
