// A scenario problem with its place in the file. Every message starts `killdrill: `.
export interface ScenarioIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted field path, e.g. `kill.at` or `faults[0].heal`; '' for the whole file. */
  field: string;
  message: string;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super(formatIssues(issues));
    this.issues = issues;
  }
}

export function formatIssue(i: ScenarioIssue): string {
  return `killdrill: ${i.file}:${i.line}:${i.col}: ${i.field ? `${i.field}: ` : ''}${i.message}`;
}

function formatIssues(issues: ScenarioIssue[]): string {
  return (
    issues.map(formatIssue).join('\n') +
    '\nkilldrill: fix the field(s) above; scenarios/schema.json describes every field (point your editor at it with `$schema`).'
  );
}

export function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}
