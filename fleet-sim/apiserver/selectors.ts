// Label selectors (=, ==, !=, exists, !exists, in, notin) and field selectors
// (metadata.name, metadata.namespace) for list and watch.
import { badRequest } from './status.ts';
import type { KubeObject } from './store.ts';

export type Matcher = (o: KubeObject) => boolean;

function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function labelMatcher(sel: string | null): Matcher {
  if (!sel) return () => true;
  const tests: Matcher[] = splitTop(sel).map((req) => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const [, k, op, vs] = m;
      const set = vs.split(',').map((v) => v.trim());
      return (o) => {
        const v = o.metadata.labels?.[k];
        return op === 'in' ? v !== undefined && set.includes(v) : v === undefined || !set.includes(v);
      };
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(req);
    if (m) {
      const [, k, op, v] = m;
      return (o) => (op === '!=' ? o.metadata.labels?.[k] !== v : o.metadata.labels?.[k] === v);
    }
    m = /^(!?)([\w./-]+)$/.exec(req);
    if (m) {
      const [, not, k] = m;
      return (o) => (o.metadata.labels?.[k] !== undefined) !== (not === '!');
    }
    throw badRequest(`unable to parse requirement: found '${req}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (o) => tests.every((t) => t(o));
}

export function fieldMatcher(sel: string | null): Matcher {
  if (!sel) return () => true;
  const tests: Matcher[] = splitTop(sel).map((req) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${req}'`);
    const [, field, op, v] = m;
    const get = field === 'metadata.name' ? (o: KubeObject) => o.metadata.name : field === 'metadata.namespace' ? (o: KubeObject) => o.metadata.namespace : null;
    if (!get) throw badRequest(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    return (o) => (op === '!=' ? get(o) !== v : get(o) === v);
  });
  return (o) => tests.every((t) => t(o));
}
