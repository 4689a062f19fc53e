// YAML → typed Target (schema.ts). Every problem becomes a TargetError naming file, line, column
// and field; nothing else is ever thrown.
import { describe, issueAt, parseYamlSource, readTextFile, zodIssues, type Locator } from '../yaml/index.ts';
import { TargetError } from './errors.ts';
import { TargetSchema, type Target } from './schema.ts';

const SCHEMA_HINT = 'targets/schema.json';

export function loadTargetFile(file: string): Target {
  const r = readTextFile(file);
  if (!r.ok) throw new TargetError(r.issues);
  return parseTargetText(r.text, file);
}

export function parseTargetText(text: string, file: string): Target {
  const src = parseYamlSource(text, file);
  if (!src.ok) throw new TargetError(src.issues);
  return parseTargetObject(src.raw, file, src.where);
}

/** Validate an already-parsed object (positions at 1:1 unless a locator is given). */
export function parseTargetObject(raw: unknown, file: string, where: Locator = () => ({ line: 1, col: 1 })): Target {
  const at = issueAt(file, where);
  if (raw === null || raw === undefined) throw new TargetError([at([], "the file is empty; a target needs at least kind: simulated, or kind: external with its endpoints (see targets/*.example.yaml)")]);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new TargetError([at([], 'a target is a YAML mapping (kind: …, name: …), not a list or a scalar')]);
  let r: ReturnType<typeof TargetSchema.safeParse>;
  try {
    r = TargetSchema.safeParse(raw);
  } catch (err) {
    throw new TargetError([at([], `could not be validated: ${describe(err)}`)]);
  }
  if (!r.success) throw new TargetError(zodIssues(r.error, at, SCHEMA_HINT));
  return r.data;
}
