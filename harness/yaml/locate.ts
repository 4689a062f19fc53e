// Field path → line and column in the YAML source (yaml's node ranges + LineCounter).
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Place {
  line: number;
  col: number;
}

function rangeStart(n: unknown): number | null {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : null;
}

/**
 * Where a path points: the value's node if it exists, else the deepest existing parent.
 * With `key`, the place of that key inside the object at `path` (for unknown fields).
 */
export function locate(doc: Document, lc: LineCounter, path: ReadonlyArray<PropertyKey>, key?: string): Place {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  const steps = key === undefined ? path : [...path, key];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    let next: unknown = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (pair) {
        // For the last step of an unknown-key lookup, point at the key itself.
        const pointAtKey = key !== undefined && i === steps.length - 1;
        next = pointAtKey ? pair.key : pair.value ?? pair.key;
        if (pointAtKey) {
          best = rangeStart(pair.key) ?? best;
          break;
        }
      }
    } else if (isSeq(node) && typeof step === 'number') {
      next = node.items[step];
    }
    if (next === undefined || next === null) break;
    node = next;
    best = rangeStart(node as Node) ?? best;
  }
  const pos = lc.linePos(best);
  return { line: pos.line, col: pos.col };
}
