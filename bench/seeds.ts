// The bug-free fleet over many seeds (issue 3, "the harness must not lie"): every bug-free
// scenario case (no `fleet.bugs`, no `detects`: the regressions, the paths, the drills) run once
// per seed; prints a table of outcomes and the total wall time. Too long for CI; a benchmark.
//   node bench/seeds.ts [--seeds 20] [--first-seed 1] [--jobs 3] [--filter REGEX] [--out DIR] [--reproductions] [scenarios dir…]
// --reproductions runs the incident reproductions instead: each must fail for exactly its `detects` on every seed.
// --jobs N runs N cases side by side (each fleet in its own block of ports), as `killdrill run --jobs`.
// --filter matches `<file> [<case>]`, e.g. --filter 'incidents/.*-regression'.
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { listScenarioFiles, loadScenarioFile, type ScenarioCase } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { processRuntime } from '../harness/runtime/index.ts';

const ROOT = join(import.meta.dirname, '..');

function fail(msg: string): never {
  process.stderr.write(`killdrill: ${msg}\n`);
  process.exit(2);
}

const OPTIONS = {
  seeds: { type: 'string', default: '20' },
  'first-seed': { type: 'string', default: '1' },
  jobs: { type: 'string', default: '3' },
  filter: { type: 'string' },
  out: { type: 'string', default: join(ROOT, 'out', 'seeds') },
  reproductions: { type: 'boolean', default: false },
} as const;
const parsed = (() => {
  try {
    return parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return fail(`${(err as Error).message}; use --seeds N, --first-seed N, --jobs N, --filter REGEX, --out DIR, --reproductions`);
  }
})();
const v = parsed.values;
const opts = { seeds: Number(v.seeds), firstSeed: Number(v['first-seed']), jobs: Number(v.jobs), filter: null as RegExp | null, out: v.out, reproductions: v.reproductions, paths: parsed.positionals };
if (v.filter !== undefined) {
  try {
    opts.filter = new RegExp(v.filter);
  } catch {
    fail(`--filter '${v.filter}' is not a regular expression`);
  }
}
if (!Number.isInteger(opts.seeds) || opts.seeds < 1) fail('--seeds must be a positive integer');
if (!Number.isInteger(opts.firstSeed) || opts.firstSeed < 0) fail('--first-seed must be a non-negative integer');
if (!Number.isInteger(opts.jobs) || opts.jobs < 1 || opts.jobs > 8) fail('--jobs must be an integer from 1 to 8');

const label = (c: ScenarioCase) => `${relative(ROOT, c.file)}${c.id === 'default' ? '' : ` [${c.id}]`}`;
const cases: ScenarioCase[] = [];
for (const file of listScenarioFiles(opts.paths.length ? opts.paths : [join(ROOT, 'scenarios')])) {
  for (const c of loadScenarioFile(file).cases) {
    const s = c.scenario;
    // Bug-free cases must pass; with --reproductions the reproductions instead, which "pass" only when
    // exactly their `detects` failed (a reproduction that reproduces on one seed only is a fragile regression).
    const reproduction = s.fleet.bugs.length > 0 || (s.detects?.length ?? 0) > 0;
    if (reproduction !== opts.reproductions) continue;
    if (opts.filter && !opts.filter.test(label(c))) continue;
    cases.push(c);
  }
}
if (!cases.length) fail(`no ${opts.reproductions ? 'reproduction' : 'bug-free'} scenario case matches`);
const kind = opts.reproductions ? 'reproduction' : 'bug-free';

interface Row {
  label: string;
  passed: number;
  failed: number[];
  errored: number[];
  wallMs: number[];
  reasons: Map<number, string>;
}
const rows: Row[] = cases.map((c) => ({ label: label(c), passed: 0, failed: [], errored: [], wallMs: [], reasons: new Map() }));
const seeds = Array.from({ length: opts.seeds }, (_, i) => opts.firstSeed + i);
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());

const t0 = performance.now();
process.stdout.write(`${cases.length} ${kind} case(s) × ${seeds.length} seed(s) = ${cases.length * seeds.length} runs, ${opts.jobs} at a time\n`);
const work = seeds.flatMap((seed) => cases.map((c, i) => ({ seed, c, i })));
let next = 0;
const worker = async (slot: number) => {
  while (next < work.length && !abort.signal.aborted) {
    const { seed, c, i } = work[next++];
    const t = performance.now();
    const r = await runScenarioCase(c, { outDir: opts.out, runtime: processRuntime, progress: silentProgress, signal: abort.signal, seed, ...(opts.jobs > 1 ? { portBlock: { index: slot, of: opts.jobs } } : {}) });
    const ms = performance.now() - t;
    const row = rows[i];
    row.wallMs.push(ms);
    if (r.outcome === 'passed') row.passed++;
    else if (r.outcome === 'failed') row.failed.push(seed);
    else row.errored.push(seed);
    if (r.outcome !== 'passed') row.reasons.set(seed, `${r.outcome}: ${r.reasons.join(' | ')} (${r.runDir}; replay: ${r.replay})`);
    process.stdout.write(`seed ${String(seed).padStart(3)}  ${r.outcome.padEnd(11)} ${(ms / 1000).toFixed(1).padStart(6)} s  ${row.label}\n`);
  }
};
await Promise.all(Array.from({ length: opts.jobs }, (_, slot) => worker(slot)));
const totalS = (performance.now() - t0) / 1000;

const w = Math.max(4, ...rows.map((r) => r.label.length));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const lines = [`${'case'.padEnd(w)}  runs  passed  failed  errored  mean s  max s  failing seeds`];
for (const r of rows) {
  const bad = [...r.failed.map((s) => `${s}F`), ...r.errored.map((s) => `${s}E`)].join(' ');
  lines.push(
    `${r.label.padEnd(w)}  ${String(r.wallMs.length).padStart(4)}  ${String(r.passed).padStart(6)}  ${String(r.failed.length).padStart(6)}  ${String(r.errored.length).padStart(7)}  ${(mean(r.wallMs) / 1000).toFixed(1).padStart(6)}  ${(Math.max(...r.wallMs) / 1000).toFixed(1).padStart(5)}  ${bad || '-'}`,
  );
}
process.stdout.write(`\n${lines.join('\n')}\n`);
for (const r of rows) for (const [seed, why] of r.reasons) process.stdout.write(`${r.label} seed ${seed}: ${why}\n`);
const runs = rows.reduce((n, r) => n + r.wallMs.length, 0);
const passed = rows.reduce((n, r) => n + r.passed, 0);
process.stdout.write(`\n${passed}/${runs} passed; total wall ${totalS.toFixed(1)} s${abort.signal.aborted ? ' (interrupted)' : ''}\n`);
process.exit(abort.signal.aborted ? 130 : passed === runs ? 0 : 1);
