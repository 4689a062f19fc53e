// `npm run bench`: every benchmark in turn (figures, not tests). Each can also run alone.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const which = process.argv.slice(2);
const all = ['clock.ts', 'fleet.ts', 'proxy.ts', 'suite.ts'];
let failed = 0;
for (const b of which.length ? which.map((w) => (w.endsWith('.ts') ? w : `${w}.ts`)) : all) {
  console.log(`\n== bench/${b} ==`);
  const r = spawnSync(process.execPath, [join(here, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
