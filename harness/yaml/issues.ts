// A problem in a YAML input file (scenario, target) with its place: file, line, column, field.
export interface SourceIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted field path, e.g. `kill.at` or `faults[0].heal`; '' for the whole file. */
  field: string;
  message: string;
}

export function formatIssue(i: SourceIssue): string {
  return `killdrill: ${i.file}:${i.line}:${i.col}: ${i.field ? `${i.field}: ` : ''}${i.message}`;
}

export function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/** Where a field path is in the source: `key` for the place of that key inside the object at `path`. */
export type Locator = (path: ReadonlyArray<PropertyKey>, key?: string) => { line: number; col: number };

/** An issue builder for one file: `at(path, message, key?)`. */
export type IssueAt = (path: ReadonlyArray<PropertyKey>, message: string, key?: string) => SourceIssue;

export function issueAt(file: string, where: Locator): IssueAt {
  return (path, message, key) => ({ file, ...where(path, key), field: fieldName(key === undefined ? path : [...path, key]), message });
}
