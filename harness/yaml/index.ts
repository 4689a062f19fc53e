// Shared by the scenario and target loaders: YAML source → value + field locations, zod issues → file:line:col issues.
export { formatIssue, fieldName, issueAt, type SourceIssue, type Locator, type IssueAt } from './issues.ts';
export { parseYamlSource, readTextFile, describe, type YamlSource } from './read-yaml.ts';
export { zodIssues } from './zod-issues.ts';
export { locate, type Place } from './locate.ts';
