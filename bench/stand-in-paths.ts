// Every case of scenarios/paths (or the files given) against a `sim up` stand-in drilled with
// `killdrill run --target` (issue 12 "Done means": verdicts agree with the simulated target), and
// with --compare the same cases on the simulated target (fleets the run starts itself), side by
// side. Too long for CI (35 cases, each way); npm test runs a case of rest.yaml and crd.yaml
// (test/external-target.test.ts). Prints per case: outcome on each target, differing verdicts,
// time-to-draining / time-to-stop p99.
//   node bench/stand-in-paths.ts [--runtime process|docker] [--preset alphaswarm|principal] [--bots N] [--compare] [--keep DIR] [file|dir…]
// --keep DIR writes the stand-in's files and every run directory under DIR and keeps them (default: a temp dir, removed).
// The stand-in is one fleet of one preset: give the files of that preset (broker-level.yaml is principal's).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, startStandIn } from '../test/support/stand-in.ts';

const ROOT = join(import.meta.dirname, '..');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { runtime: { type: 'string', default: 'process' }, preset: { type: 'string', default: 'alphaswarm' }, bots: { type: 'string' }, compare: { type: 'boolean', default: false }, keep: { type: 'string' } } });
if (values.runtime !== 'process' && values.runtime !== 'docker') {
  process.stderr.write(`killdrill: --runtime must be process or docker, not '${values.runtime}'\n`);
  process.exit(2);
}
if (values.preset !== 'alphaswarm' && values.preset !== 'principal') {
  process.stderr.write(`killdrill: --preset must be alphaswarm or principal, not '${values.preset}'\n`);
  process.exit(2);
}
const preset = values.preset;
const bots = values.bots === undefined ? (preset === 'alphaswarm' ? 48 : null) : Number(values.bots);
const paths = positionals.length ? positionals : [join(ROOT, 'scenarios', 'paths')];

interface Result { scenario: string; caseId: string; outcome: string; verdicts: Array<{ checker: string; valid: boolean | 'unknown' }>; stats?: Record<string, { p99?: number | null } | undefined> }
async function run(args: string[], env: NodeJS.ProcessEnv, out: string): Promise<Map<string, Result>> {
  const child = spawn(process.execPath, [CLI, 'run', ...paths, '--out', out, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((r) => child.once('exit', r));
  const m = new Map<string, Result>();
  for (const d of readdirSync(join(out, 'runs'))) {
    try {
      const r = JSON.parse(readFileSync(join(out, 'runs', d, 'result.json'), 'utf8')) as Result;
      m.set(`${r.scenario} [${r.caseId}]`, r);
    } catch {
      // a case without a result (errored before it wrote one) shows as missing
    }
  }
  return m;
}
const p99 = (r: Result | undefined, k: 'timeToDraining' | 'timeToStop') => {
  const v = r?.stats?.[`${k}Ms`]?.p99;
  return typeof v === 'number' ? `${Math.round(v)}` : '—';
};

if (values.keep !== undefined && existsSync(values.keep) && readdirSync(values.keep).length) {
  process.stderr.write(`killdrill: --keep ${values.keep} is not empty; give a new or empty directory\n`);
  process.exit(2);
}
const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'kd-standin-paths-'));
mkdirSync(dir, { recursive: true });
try {
  const t0 = performance.now();
  const standIn = await startStandIn({ dir, bots: bots ?? undefined, runtime: values.runtime, preset, name: 'bench-stand-in', sections: ['toxiproxy', 'kubernetes', 'hosts'], echoStderr: true });
  console.log(`stand-in (${preset}, ${values.runtime}, ${bots ?? "the preset's"} bots) up in ${standIn.startS.toFixed(1)} s`);
  let ext: Map<string, Result>;
  try {
    ext = await run(['--target', standIn.target], standIn.env, join(dir, 'ext'));
  } finally {
    await standIn.stop();
  }
  const extS = (performance.now() - t0) / 1000;
  const sim = values.compare ? await run(['--jobs', '1', ...(values.runtime === 'docker' ? ['--runtime', 'docker'] : [])], process.env, join(dir, 'sim')) : new Map<string, Result>();
  const keys = [...new Set([...ext.keys(), ...sim.keys()])].sort();
  let agree = 0;
  for (const k of keys) {
    const a = ext.get(k);
    const b = sim.get(k);
    const diff = a && b ? a.verdicts.filter((v) => b.verdicts.find((w) => w.checker === v.checker)?.valid !== v.valid).map((v) => `${v.checker}: ${v.valid} vs ${b.verdicts.find((w) => w.checker === v.checker)?.valid}`) : [];
    if (a && b && a.outcome === b.outcome && !diff.length) agree++;
    console.log(`${k.padEnd(58)} stand-in ${(a?.outcome ?? 'missing').padEnd(8)} ttD/ttS p99 ${p99(a, 'timeToDraining')}/${p99(a, 'timeToStop')} ms${values.compare ? `   simulated ${(b?.outcome ?? 'missing').padEnd(8)} ${p99(b, 'timeToDraining')}/${p99(b, 'timeToStop')} ms${diff.length ? `   DIFFER: ${diff.join('; ')}` : ''}` : ''}`);
  }
  console.log(`${ext.size} case(s) on the stand-in in ${extS.toFixed(0)} s: ${[...ext.values()].filter((r) => r.outcome === 'passed').length} passed${values.compare ? `; same outcome and verdicts on both targets: ${agree}/${keys.length}` : ''}`);
} finally {
  if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
  else console.log(`stand-in files and run directories kept in ${dir}`);
}
