// zod issues → file issues with the field's place and a message that says what to do.
import type { z } from 'zod';
import type { IssueAt, SourceIssue } from './issues.ts';

/** `schemaHint`: where the user finds every field, e.g. `scenarios/schema.json`. */
export function zodIssues(error: z.ZodError, at: IssueAt, schemaHint: string): SourceIssue[] {
  const out: SourceIssue[] = [];
  for (const i of error.issues.slice(0, 20)) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push(at(i.path, `unknown field '${k}'; remove it or check its spelling against ${schemaHint}`, k));
    } else if (i.code === 'invalid_union' && 'discriminator' in i && i.discriminator) {
      const opts = (i as unknown as { options?: unknown[] }).options ?? [];
      out.push(at(i.path, `unknown ${String(i.discriminator)}; use one of ${opts.map(String).join(', ')}`));
    } else if (i.code === 'invalid_type' && i.message.includes('received undefined')) {
      out.push(at(i.path, `missing; this field is required (${i.message.replace(/^Invalid input: /, '')})`));
    } else {
      out.push(at(i.path, i.message.replace(/^Invalid input: /, '')));
    }
  }
  return out;
}
