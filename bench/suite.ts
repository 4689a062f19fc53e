// Benchmark of the scenario suite (prints figures; not a test).
//   node bench/suite.ts [--jobs N] [dir…]   (default: --jobs 3 scenarios/)
// Runs `killdrill run` over the scenarios exactly as a user does, then reads every case's
// result.json: wall time per case (startedAt → endedAt), the slowest incident case, the total.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const j = argv.indexOf('--jobs');
const jobs = j >= 0 ? argv.splice(j, 2)[1] : '3';
const dirs = argv.length ? argv : ['scenarios/'];
const out = mkdtempSync(join(tmpdir(), 'killdrill-bench-suite-'));
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'cli/main.ts'), 'run', ...dirs, '--out', out, '--jobs', jobs], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: 'true' } });
const wallS = (Date.now() - t0) / 1000;
const runs = existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')) : [];
const rows = runs
  .map((id) => join(out, 'runs', id, 'result.json'))
  .filter(existsSync)
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { file: string; caseId: string; outcome: string; startedAt: number; endedAt: number })
  .map((x) => ({ name: `${x.file}${x.caseId === 'default' ? '' : ` [${x.caseId}]`}`, outcome: x.outcome, s: (x.endedAt - x.startedAt) / 1000 }))
  .sort((a, b) => b.s - a.s);
for (const x of rows) console.log(`${x.s.toFixed(1).padStart(6)} s  ${x.outcome.padEnd(8)} ${x.name}`);
const incidents = rows.filter((x) => x.name.includes('/incidents/'));
console.log(`jobs: ${jobs}; cases: ${rows.length} (${rows.filter((x) => x.outcome === 'passed').length} passed); suite wall ${wallS.toFixed(0)} s (${(wallS / 60).toFixed(1)} min); killdrill exit ${r.status}`);
if (incidents.length) console.log(`incident cases: slowest ${incidents[0].s.toFixed(1)} s (${incidents[0].name}), median ${incidents[Math.floor(incidents.length / 2)].s.toFixed(1)} s`);
console.log(`runs kept in ${out}`);
