// `npm run scenario-schema`: writes scenarios/schema.json from harness/scenario/schema.ts.
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from './json-schema.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios', 'schema.json');
writeFileSync(out, scenarioJsonSchema());
process.stdout.write(`wrote ${out}\n`);
