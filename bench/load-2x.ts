// Benchmark: the kill paths and the quarterly drill under 0×, 1× and 2× the fleet's measured peak of
// control-plane traffic (issue 15 item 3; prints figures, not a test).
//   node bench/load-2x.ts [--loads none,1x,2x] [scenario.yaml…]   (default: every bench/scenarios/*.yaml)
// Each scenario (written at `rate: 2x-peak`) runs once per load: `none` without load.k6, `1x` at
// 1x-peak, `2x` as written; a sequence runs all its legs on one fleet. One fleet at a time. Per case
// (a sequence: per leg) it prints the outcome, the requests/s load-held saw around the lever and its
// verdict, and time-to-draining / time-to-stop p50, p99 and max from the checkers (result.json).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../harness/scenario/index.ts';
import { runScenarioCase, type CaseOutcome } from '../harness/runner/run-scenario.ts';
import { runSequence } from '../harness/runner/run-sequence.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { processRuntime } from '../harness/runtime/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const li = argv.indexOf('--loads');
const loads = (li >= 0 ? argv.splice(li, 2)[1] : 'none,1x,2x').split(',') as Array<'none' | '1x' | '2x'>;
const files = argv.length ? argv : readdirSync(join(here, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(here, 'scenarios', f));
const work = mkdtempSync(join(tmpdir(), 'killdrill-bench-load2x-'));

/** The scenario's text at a load: without load.k6, at 1x-peak, or as written (2x-peak). */
function variant(text: string, load: 'none' | '1x' | '2x'): string {
  if (!/rate: 2x-peak/.test(text)) throw new Error('killdrill: a bench/load-2x.ts scenario is written at rate: 2x-peak; write it so');
  if (load === '2x') return text;
  if (load === '1x') return text.replace('rate: 2x-peak', 'rate: 1x-peak');
  return text.replace(/^ {2}k6:\n(?: {4,}.*\n)+/m, '');
}

type Verdicts = Array<{ checker: string; valid: unknown; details?: { stats?: { p50: number | null; p99: number | null; max: number | null }; requestsPerS?: number | null } }>;
const ms = (v: number | null | undefined) => (typeof v === 'number' ? `${Math.round(v)}` : '-');
const rows: string[] = [];
const row = (file: string, load: string, o: CaseOutcome) => {
  const vs = (JSON.parse(readFileSync(join(o.runDir, 'result.json'), 'utf8')) as { verdicts: Verdicts }).verdicts;
  const st = (c: string) => vs.find((v) => v.checker === c)?.details?.stats;
  const lh = vs.find((v) => v.checker === 'load-held');
  const d = st('time-to-draining');
  const s = st('time-to-stop');
  const id = JSON.parse(readFileSync(join(o.runDir, 'result.json'), 'utf8')).caseId as string;
  const line = `${basename(file, '.yaml').padEnd(20)} ${id === 'default' ? ''.padEnd(24) : id.padEnd(24)} ${load.padEnd(4)} ${o.outcome.padEnd(7)} load ${lh ? `${lh.details?.requestsPerS ?? '-'}/s held=${lh.valid}` : 'none'}  draining p50/p99/max ${ms(d?.p50)}/${ms(d?.p99)}/${ms(d?.max)} ms  stop ${ms(s?.p50)}/${ms(s?.p99)}/${ms(s?.max)} ms`;
  rows.push(line);
  console.log(line);
};

let failed = 0;
for (const file of files) {
  for (const load of loads) {
    const f = join(work, `${load}-${basename(file)}`);
    writeFileSync(f, variant(readFileSync(file, 'utf8'), load));
    const c = loadScenarioFile(f).cases[0];
    const opts = { outDir: join(work, 'out'), runtime: processRuntime, progress: silentProgress, signal: new AbortController().signal };
    const outcomes = c.legs ? (await runSequence(c, opts)).legs.map((l) => l.outcome) : [await runScenarioCase(c, opts)];
    for (const o of outcomes) {
      row(file, load, o);
      if (o.outcome !== 'passed') failed++;
    }
  }
}
console.log(`\n${rows.length} cases, ${failed} not passed; runs kept in ${join(work, 'out')}`);
process.exitCode = failed ? 1 : 0;
