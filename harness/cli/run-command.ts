// `killdrill run <file|dir>… [--seed N] [--out DIR] [--runtime process] [--case ID]`.
// Validates every file first (any invalid → exit 2, nothing runs), then runs each case in turn.
import { listScenarioFiles, loadScenarioFile, ScenarioError, type ScenarioCase } from '../scenario/index.ts';
import { runtimeByName, type Runtime } from '../runtime/index.ts';
import { runScenarioCase, type CaseOutcome, type RunScenarioOptions } from '../runner/run-scenario.ts';
import { makeProgress, type Progress } from '../runner/progress.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io } from './validate-command.ts';
import { formatSummary, type RunResult as ReportRunResult } from '../../reports/index.ts';

export interface RunDeps {
  io: Io;
  runtimeByName: (name: string) => Runtime;
  runCase: (c: ScenarioCase, opts: RunScenarioOptions) => Promise<CaseOutcome>;
  progress: (label: string) => Progress;
  /** Where SIGINT comes from (tests pass their own). */
  interrupts: { on(fn: () => void): () => void };
}

const defaults: RunDeps = {
  io: { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') },
  runtimeByName,
  runCase: runScenarioCase,
  progress: (label) => makeProgress(process.stderr, label),
  interrupts: {
    // SIGTERM (what timeout(1), CI runners and kill send) ends a run like SIGINT: faults healed, fleet stopped, history closed.
    on(fn) {
      process.once('SIGINT', fn);
      process.once('SIGTERM', fn);
      return () => {
        process.off('SIGINT', fn);
        process.off('SIGTERM', fn);
      };
    },
  },
};

interface Selected {
  cases: ScenarioCase[];
  seed?: number;
  out: string;
  runtimeName?: string;
}

function select(argv: string[], io: Io): Selected | number {
  try {
    const { positionals, flags } = parseArgs(argv, ['seed', 'out', 'runtime', 'case']);
    if (!positionals.length) throw new UsageError('killdrill: run needs at least one scenario file or directory: killdrill run scenarios/');
    let seed: number | undefined;
    if (flags.seed !== undefined) {
      seed = Number(flags.seed);
      if (!/^\d+$/.test(flags.seed) || !Number.isSafeInteger(seed) || seed > 2 ** 31 - 1) throw new UsageError(`killdrill: --seed must be an integer from 0 to 2147483647, not '${flags.seed}'`);
    }
    if (flags.runtime !== undefined && !['process', 'docker'].includes(flags.runtime)) throw new UsageError(`killdrill: --runtime must be process or docker, not '${flags.runtime}'`);
    const files = listScenarioFiles(positionals);
    if (!files.length) throw new UsageError(`killdrill: no *.yaml scenario files under ${positionals.join(', ')}; check the path`);
    const cases: ScenarioCase[] = [];
    let bad = 0;
    for (const f of files) {
      try {
        cases.push(...loadScenarioFile(f).cases);
      } catch (err) {
        bad++;
        io.err(err instanceof ScenarioError ? err.message : `killdrill: ${f}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (bad) throw new UsageError(`killdrill: ${bad} scenario file(s) invalid; nothing was run (check them with killdrill validate)`);
    const chosen = flags.case === undefined ? cases : cases.filter((c) => c.id === flags.case);
    if (!chosen.length) {
      const ids = [...new Set(cases.map((c) => c.id))];
      throw new UsageError(`killdrill: no case '${flags.case}'; the cases are: ${ids.slice(0, 20).join(' | ')}`);
    }
    return { cases: chosen, seed, out: flags.out ?? 'out', runtimeName: flags.runtime };
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.invalid;
  }
}

export async function runMain(argv: string[], deps: RunDeps = defaults): Promise<number> {
  const { io } = deps;
  const sel = select(argv, io);
  if (typeof sel === 'number') return sel;
  const runtimes = new Map<string, Runtime>();
  for (const c of sel.cases) {
    const name = sel.runtimeName ?? c.scenario.runtime;
    if (runtimes.has(name)) continue;
    try {
      runtimes.set(name, deps.runtimeByName(name));
    } catch (err) {
      io.err(err instanceof Error ? err.message : String(err));
      return EXIT.invalid;
    }
  }
  const abort = new AbortController();
  const off = deps.interrupts.on(() => {
    io.err('killdrill: interrupted; healing faults and stopping the fleet (press Ctrl-C again to force)');
    abort.abort();
  });
  const results: CaseOutcome[] = [];
  try {
    for (const c of sel.cases) {
      if (abort.signal.aborted) break;
      const label = `${c.scenario.name}${c.id === 'default' ? '' : ` [${c.id}]`}`;
      const started = Date.now();
      const r = await deps.runCase(c, {
        outDir: sel.out,
        runtime: runtimes.get(sel.runtimeName ?? c.scenario.runtime)!,
        progress: deps.progress(label + ' '),
        signal: abort.signal,
        ...(sel.seed !== undefined ? { seed: sel.seed } : {}),
      });
      results.push(r);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const tag = { passed: 'PASS', failed: 'FAIL', errored: 'ERROR', interrupted: 'INTERRUPTED' }[r.outcome];
      io.out(`${tag} ${label} ${secs} s  ${r.runDir}`);
      if (r.outcome !== 'passed') {
        for (const reason of r.reasons) io.out(`  ${reason}`);
        io.out(`  replay: ${r.replay}`);
      }
    }
  } finally {
    off();
  }
  const n = (o: string) => results.filter((r) => r.outcome === o).length;
  const skipped = sel.cases.length - results.length;
  if (results.length) {
    // The outcome and replay line are the runner's own; the rest comes from each case's result.json.
    const rows = results.map((r, i) => ({ ...(r.result as unknown as ReportRunResult), scenario: r.result?.scenario ?? sel.cases[i].scenario.name, caseId: r.result?.caseId ?? sel.cases[i].id, outcome: r.outcome, replay: r.replay }));
    io.out(formatSummary(rows as ReportRunResult[]).trimEnd());
  }
  io.out(`killdrill: ${n('passed')} passed, ${n('failed')} failed, ${n('errored')} errored${n('interrupted') || skipped ? `, ${n('interrupted')} interrupted, ${skipped} not run` : ''}`);
  return abort.signal.aborted ? EXIT.interrupted : exitCodeFor(results);
}
