// Regenerates reports/evidence.schema.json and reports/drill-evidence.schema.json from the zod schemas.
// Run: node reports/write-schemas.ts (a test fails when the committed files are stale).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evidenceJsonSchemas } from './evidence-schema.ts';

export function schemaFiles(): Record<string, string> {
  const { run, drill } = evidenceJsonSchemas();
  return { 'evidence.schema.json': JSON.stringify(run, null, 2) + '\n', 'drill-evidence.schema.json': JSON.stringify(drill, null, 2) + '\n' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(schemaFiles())) writeFileSync(new URL(name, import.meta.url), text);
}
