// Matrix expansion: the cartesian product of the matrix's keys, in file order.
export const MAX_CASES = 256;

export type MatrixValue = string | number | boolean | string[];

export interface MatrixCase {
  /** `kill.scope=bot,kill.mode=cancel`, or `default` for a scenario without a matrix. */
  id: string;
  values: Record<string, MatrixValue>;
}

export function formatValue(v: MatrixValue): string {
  return Array.isArray(v) ? (v.length ? v.join('+') : '[]') : String(v);
}

export function caseId(values: Record<string, MatrixValue>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${formatValue(v)}`);
  return parts.length ? parts.join(',') : 'default';
}

/** Every combination; throws a plain Error (the loader locates it) when there are more than MAX_CASES. */
export function expandMatrix(matrix: Record<string, MatrixValue[]> | undefined): MatrixCase[] {
  const entries = Object.entries(matrix ?? {});
  const total = entries.reduce((n, [, vs]) => n * vs.length, 1);
  if (total > MAX_CASES) throw new Error(`the matrix has ${total} cases, more than ${MAX_CASES}; split the scenario or drop values`);
  let combos: Array<Record<string, MatrixValue>> = [{}];
  for (const [key, vs] of entries) combos = combos.flatMap((c) => vs.map((v) => ({ ...c, [key]: v })));
  return combos.map((values) => ({ id: caseId(values), values }));
}

/** A copy of `obj` with the dotted path set (objects on the way are created). */
export function withPath(obj: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(obj);
  const keys = dotted.split('.');
  let cur: Record<string, unknown> = out;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
  return out;
}

/** Does a case's matrix value for `key` decide what sits at `path`? (for locating errors) */
export function matrixKeyFor(path: ReadonlyArray<PropertyKey>, keys: string[]): string | null {
  const dotted = path.map(String).join('.');
  return keys.find((k) => dotted === k || dotted.startsWith(k + '.')) ?? null;
}
