// `npm run target-schema`: writes targets/schema.json from harness/target/schema.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { targetJsonSchema } from './json-schema.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'targets');
mkdirSync(dir, { recursive: true });
const out = join(dir, 'schema.json');
writeFileSync(out, targetJsonSchema());
process.stdout.write(`wrote ${out}\n`);
