// A scenario problem with its place in the file. Every message starts `killdrill: `.
import { formatIssue, type SourceIssue } from '../yaml/index.ts';

export type ScenarioIssue = SourceIssue;
export { fieldName, formatIssue } from '../yaml/index.ts';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super(formatIssues(issues));
    this.issues = issues;
  }
}

function formatIssues(issues: ScenarioIssue[]): string {
  return (
    issues.map(formatIssue).join('\n') +
    '\nkilldrill: fix the field(s) above; scenarios/schema.json describes every field (point your editor at it with `$schema`).'
  );
}
