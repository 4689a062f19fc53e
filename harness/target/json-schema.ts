// targets/schema.json, generated from the one zod schema (for editors: `$schema: ./schema.json`).
import { z } from 'zod';
import { TargetSchema } from './schema.ts';

export function targetJsonSchema(): string {
  const schema = z.toJSONSchema(TargetSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ ...schema, title: 'killdrill target', $comment: 'Generated from harness/target/schema.ts by `npm run target-schema`; do not edit.' }, null, 2) + '\n';
}
