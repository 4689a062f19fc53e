// A target-file problem with its place. Every message starts `killdrill: `.
import { formatIssue, type SourceIssue } from '../yaml/index.ts';

export type TargetIssue = SourceIssue;

export class TargetError extends Error {
  override name = 'TargetError';
  readonly issues: TargetIssue[];
  constructor(issues: TargetIssue[]) {
    super(`${issues.map(formatIssue).join('\n')}\nkilldrill: fix the field(s) above; targets/schema.json describes every field and docs/targets.md what they are for.`);
    this.issues = issues;
  }
}
