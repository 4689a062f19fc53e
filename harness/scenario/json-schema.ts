// scenarios/schema.json, generated from the one zod schema (for editors: `$schema: ../schema.json`).
import { z } from 'zod';
import { ScenarioSchema } from './schema.ts';

export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ ...schema, title: 'killdrill scenario', $comment: 'Generated from harness/scenario/schema.ts by `npm run scenario-schema`; do not edit.' }, null, 2) + '\n';
}
