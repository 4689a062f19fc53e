// `killdrill run <file|dir>…` (options: runSpec below).
// Validates every file first (any invalid → exit 2, nothing runs), then runs the cases, in turn
// or --jobs N side by side (each with its own fleet and its own block of ports).
import { listScenarioFiles, loadScenarioFile, parseDuration, processOnlyProblems, ScenarioError, type ScenarioCase } from '../scenario/index.ts';
import type { ComponentPlanner } from '../faults/index.ts';
import { DEFAULT_MAX_CLOCK_OFFSET_MS } from '../runner/preflight-rules.ts';
import { runtimeByName, type AnyRuntime, type Runtime } from '../runtime/index.ts';
import { applyTarget, TargetRefused } from './run-target.ts';
import { externalProxyRefusals } from '../faults/index.ts';
import { runScenarioCase, type CaseOutcome, type RunScenarioOptions } from '../runner/run-scenario.ts';
import { runSequence } from '../runner/run-sequence.ts';
import { makeProgress, type Progress } from '../runner/progress.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { parseCommand, usage, UsageError, type CommandSpec } from '../../lib/cli.ts';
import type { Io } from './validate-command.ts';
import { formatSummary, junitXml, type JunitCase, type RunResult as ReportRunResult } from '../../reports/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { printDryRun } from './dry-run.ts';
import { parseStopOptions, stopOptionSpecs } from './stop-options.ts';
import { caseStop, describeStopOptions, type StopOptions } from '../runner/case-stop.ts';

export interface RunDeps {
  io: Io;
  runtimeByName: (name: string) => Runtime;
  runCase: (c: ScenarioCase, opts: RunScenarioOptions) => Promise<CaseOutcome>;
  progress: (label: string, plain: boolean) => Progress;
  /** Where SIGINT comes from (tests pass their own). */
  interrupts: { on(fn: () => void): () => void };
  /** Where an external target's token variables are read (default process.env). */
  env?: Record<string, string | undefined>;
  /** The simulator's component plan, for the load-time fault check (the killdrill command passes fleet-sim's). */
  components?: ComponentPlanner;
}

export const defaultRunDeps: RunDeps = {
  io: { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') },
  runtimeByName,
  runCase: runScenarioCase,
  progress: (label, plain) => makeProgress(process.stderr, label, plain),
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
  jobs: number;
  observeFull: boolean;
  junit?: string;
  dryRun: boolean;
  stop: StopOptions;
  target?: string;
  confirm?: string;
  maxClockOffsetMs?: number;
}

/** At most this many fleets side by side. */
const MAX_JOBS = 8;

export const runSpec: CommandSpec = {
  name: 'killdrill run',
  positionals: '<file|dir>…',
  summary: 'Run scenarios: every case of every *.yaml file given (directories are searched). Invalid files run nothing.',
  options: {
    seed: { type: 'string', value: 'N', help: "seed of every case, 0-2147483647 (default: each case's own)" },
    case: { type: 'string', value: 'ID', help: 'run only the case with this id (as a replay line quotes it)' },
    out: { type: 'string', value: 'DIR', help: 'where runs are written: DIR/runs/<id>/ (default: out)' },
    jobs: { type: 'string', value: 'N', help: `cases side by side, 1-${MAX_JOBS}, each with its own fleet and ports (default: 1)` },
    runtime: { type: 'string', value: 'process|docker', help: "run every fleet on this runtime (default: each scenario's runtime)" },
    'observe-full': { type: 'boolean', help: 'no early end: watch every budget out' },
    junit: { type: 'string', value: 'FILE', help: 'also write the cases as a JUnit XML report to FILE (for GitLab, Jenkins, GitHub test reporters)' },
    ...stopOptionSpecs,
    'dry-run': { type: 'boolean', help: 'print the plan of every case (levers, faults, budgets, release, heals) and start, write or send nothing' },
    target: { type: 'string', value: 'FILE', help: "drill this target file instead of each scenario's fleet: (docs/targets.md)" },
    confirm: { type: 'string', value: 'ENV', help: "with --target: the target's environment name, required for production" },
    'max-clock-offset': { type: 'string', value: 'DURATION', help: `preflight refuses a target whose clock may be further than this from the harness's (Redis TIME, offset ± RTT/2; default ${DEFAULT_MAX_CLOCK_OFFSET_MS}ms)` },
  },
  epilogue: 'exit codes: 0 all passed, 1 a scenario failed, 2 invalid input, 3 the fleet or infrastructure broke (a failed preflight too), 130 interrupted (Ctrl-C, SIGTERM or a stop condition)\nstop conditions, preflight and --dry-run: docs/safety.md',
};

function select(argv: string[], io: Io, components?: ComponentPlanner): Selected | number {
  try {
    const { help, positionals, values } = parseCommand(runSpec, argv);
    if (help) {
      io.out(usage(runSpec));
      return EXIT.passed;
    }
    const flags = values as Record<string, string | undefined>;
    if (!positionals.length) throw new UsageError('killdrill: run needs at least one scenario file or directory: killdrill run scenarios/');
    let seed: number | undefined;
    if (flags.seed !== undefined) {
      seed = Number(flags.seed);
      if (!/^\d+$/.test(flags.seed) || !Number.isSafeInteger(seed) || seed > 2 ** 31 - 1) throw new UsageError(`killdrill: --seed must be an integer from 0 to 2147483647, not '${flags.seed}'`);
    }
    const jobs = flags.jobs === undefined ? 1 : Number(flags.jobs);
    if (flags.jobs !== undefined && (!/^\d+$/.test(flags.jobs) || jobs < 1 || jobs > MAX_JOBS)) throw new UsageError(`killdrill: --jobs must be an integer from 1 to ${MAX_JOBS}, not '${flags.jobs}'`);
    if (flags.junit !== undefined && flags.junit.trim() === '') throw new UsageError("killdrill: --junit needs a file name; give it as --junit report.xml");
    const stop = parseStopOptions(values);
    let maxClockOffsetMs: number | undefined;
    if (flags['max-clock-offset'] !== undefined) {
      const ms = parseDuration(flags['max-clock-offset']);
      if (ms === null || ms <= 0) throw new UsageError(`killdrill: --max-clock-offset must be a duration above 0 such as 250ms or 1s, not '${flags['max-clock-offset']}'`);
      maxClockOffsetMs = ms;
    }
    const dryRun = values['dry-run'] === true;
    if (dryRun && flags.junit !== undefined) throw new UsageError('killdrill: --dry-run writes no file; drop --junit (or --dry-run)');
    if (flags.runtime !== undefined && !['process', 'docker'].includes(flags.runtime)) throw new UsageError(`killdrill: --runtime must be process or docker, not '${flags.runtime}'`);
    if (flags.target !== undefined && flags.target.trim() === '') throw new UsageError('killdrill: --target needs a target file; give it as --target targets/staging.yaml');
    if (flags.target !== undefined && flags.runtime !== undefined) throw new UsageError('killdrill: --runtime and --target both say what runs the fleet; a target file names its own runtime: leave --runtime out');
    if (flags.confirm !== undefined && flags.target === undefined) throw new UsageError('killdrill: --confirm goes with --target: it names the environment of the target file to drill');
    const files = listScenarioFiles(positionals);
    if (!files.length) throw new UsageError(`killdrill: no *.yaml scenario files under ${positionals.join(', ')}; check the path`);
    const cases: ScenarioCase[] = [];
    let bad = 0;
    for (const f of files) {
      try {
        cases.push(...loadScenarioFile(f, { ...(components ? { components } : {}) }).cases);
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
    return { cases: chosen, seed, out: flags.out ?? 'out', runtimeName: flags.runtime, jobs: Math.min(jobs, chosen.length), observeFull: values['observe-full'] === true, dryRun, stop, ...(flags.junit !== undefined ? { junit: flags.junit } : {}), ...(flags.target !== undefined ? { target: flags.target } : {}), ...(flags.confirm !== undefined ? { confirm: flags.confirm } : {}), ...(maxClockOffsetMs !== undefined ? { maxClockOffsetMs } : {}) };
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.invalid;
  }
}

export async function runMain(argv: string[], deps: RunDeps = defaultRunDeps): Promise<number> {
  const { io } = deps;
  const sel = select(argv, io, deps.components);
  if (typeof sel === 'number') return sel;
  // A target file, checked whole before anything starts: any refusal is exit 2 with every reason.
  let external: AnyRuntime | undefined;
  let targetInfo: RunScenarioOptions['target'];
  if (sel.target !== undefined) {
    try {
      const t = applyTarget(sel.target, sel.cases, { ...(sel.confirm !== undefined ? { confirm: sel.confirm } : {}), jobs: sel.jobs, env: deps.env ?? process.env, ...(deps.components ? { components: deps.components } : {}) });
      sel.cases = t.cases;
      external = t.runtime;
      targetInfo = t.info;
    } catch (err) {
      if (!(err instanceof TargetRefused)) throw err;
      for (const r of err.reasons) io.err(r);
      io.err(`killdrill: nothing was started; fix the above or the target file ${sel.target}`);
      return EXIT.invalid;
    }
  }
  // An external Toxiproxy (fleet.overrides.proxyUrl): not from docker, not shared by cases side by side.
  if (!external) {
    const refused = externalProxyRefusals(sel.cases.map((c) => ({ file: c.file, id: c.id, runtime: sel.runtimeName ?? c.scenario.runtime, ...(c.scenario.fleet.overrides.proxyUrl ? { proxyUrl: c.scenario.fleet.overrides.proxyUrl } : {}) })), sel.jobs);
    if (refused.length) {
      for (const r of refused) io.err(r);
      io.err('killdrill: nothing was started; fix the above');
      return EXIT.invalid;
    }
  }
  // --runtime docker on a scenario only the process runtime drills (circuit breakers, market-data faults).
  if (!external) {
    const refused = sel.cases.filter((c) => (sel.runtimeName ?? c.scenario.runtime) === 'docker').flatMap((c) => processOnlyProblems(c.scenario).map((p) => `killdrill: ${c.file} [${c.id}] on docker: ${p.path.join('.')}: ${p.message}`));
    if (refused.length) {
      for (const r of refused) io.err(r);
      io.err('killdrill: nothing was started; fix the above');
      return EXIT.invalid;
    }
  }
  // Before any runtime is made (after the target's refusals): a dry run starts, writes and sends nothing.
  if (sel.dryRun) return printDryRun(sel.cases, { ...(sel.seed !== undefined ? { seed: sel.seed } : {}), ...(sel.runtimeName ? { runtimeName: sel.runtimeName } : {}), stopConditions: describeStopOptions(sel.stop), ...(targetInfo ? { target: targetInfo } : {}), ...(sel.maxClockOffsetMs !== undefined ? { maxClockOffsetMs: sel.maxClockOffsetMs } : {}) }, io);
  const runtimes = new Map<string, AnyRuntime>();
  for (const c of sel.cases) {
    const name = sel.runtimeName ?? c.scenario.runtime;
    if (external) {
      runtimes.set(name, external);
      continue;
    }
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
    io.err(external ? "killdrill: interrupted; healing faults and releasing this run's kill (the external target is left running; press Ctrl-C again to force)" : 'killdrill: interrupted; healing faults and stopping the fleet (press Ctrl-C again to force)');
    abort.abort();
  });
  // Results in case order (the summary), printed as each case ends; a sequence gives one per leg.
  const byIndex: Array<CaseOutcome[] | undefined> = [];
  const legsOf: Array<ScenarioCase[] | undefined> = [];
  const notRunLegs: number[] = [];
  const seconds: number[] = [];
  let next = 0;
  // A stop condition ends its case interrupted and no further case starts (the ones running go on).
  let stopped = false;
  const worker = async (slot: number) => {
    while (next < sel.cases.length && !abort.signal.aborted && !stopped) {
      const i = next++;
      const c = sel.cases[i];
      const label = `${c.scenario.name}${c.id === 'default' ? '' : ` [${c.id}]`}`;
      const started = Date.now();
      // A sequence's legs each get their own stop conditions (run-sequence.ts): the cap is per case.
      const stop = c.legs ? null : caseStop(sel.stop);
      const opts: RunScenarioOptions = {
        outDir: sel.out,
        runtime: runtimes.get(sel.runtimeName ?? c.scenario.runtime)!,
        ...(targetInfo ? { target: targetInfo } : {}),
        // Side by side, live lines would overwrite each other: plain lines, each with its case.
        progress: deps.progress(label + ' ', sel.jobs > 1),
        signal: abort.signal,
        ...(sel.seed !== undefined ? { seed: sel.seed } : {}),
        ...(sel.jobs > 1 ? { portBlock: { index: slot, of: sel.jobs } } : {}),
        ...(sel.observeFull ? { observeFull: true } : {}),
        ...(stop ? { stop } : {}),
        ...(sel.stop.stopOnNoRestart ? { stopOnNoRestart: true } : {}),
        ...(sel.maxClockOffsetMs !== undefined ? { maxClockOffsetMs: sel.maxClockOffsetMs } : {}),
      };
      const print = (r: CaseOutcome, label: string, secs: number) => {
        const tag = { passed: 'PASS', failed: 'FAIL', errored: 'ERROR', interrupted: 'INTERRUPTED' }[r.outcome];
        const lines = [`${tag} ${label} ${secs.toFixed(1)} s  ${r.runDir}`];
        if (r.outcome !== 'passed') lines.push(...r.reasons.map((reason) => `  ${reason}`), `  replay: ${r.replay}`);
        for (const l of lines) io.out(l); // synchronous: a case's lines stay together
      };
      let rs: CaseOutcome[];
      try {
        if (c.legs) {
          // A sequence: its legs on one fleet, each printed as it ends; then its P1 findings and merged reports.
          let legStarted = started;
          const seq = await runSequence(c, opts, deps.runCase, (leg, r) => {
            print(r, `${c.scenario.name} [${leg.id}]`, (Date.now() - legStarted) / 1000);
            legStarted = Date.now();
          }, () => caseStop(sel.stop));
          rs = seq.legs.map((l) => l.outcome);
          legsOf[i] = seq.legs.map((l) => l.leg);
          notRunLegs[i] = seq.notRun.length;
          for (const f of seq.findings) io.out(f);
          if (seq.drill) io.out(`DRILL ${label}: ${seq.legs.length} leg(s) on one fleet, ${seq.findings.length} P1 finding(s); evidence (kill_switch_drills) ${seq.drill.evidence}, timeline ${seq.drill.timeline}`);
        } else {
          const r = await deps.runCase(c, opts);
          rs = [r];
          print(r, label, (Date.now() - started) / 1000);
        }
      } finally {
        stop?.close();
      }
      if (rs.some((r) => r.outcome === 'interrupted') && !abort.signal.aborted) stopped = true;
      byIndex[i] = rs;
      seconds[i] = (Date.now() - started) / 1000;
    }
  };
  try {
    await Promise.all(Array.from({ length: sel.jobs }, (_, slot) => worker(slot)));
  } finally {
    off();
  }
  const ran = byIndex.flatMap((rs, i) => (rs ? rs.map((r, k) => ({ r, c: legsOf[i]?.[k] ?? sel.cases[i] })) : []));
  const results = ran.map((x) => x.r);
  const n = (o: string) => results.filter((r) => r.outcome === o).length;
  const skipped = sel.cases.reduce((k, c, i) => k + (byIndex[i] ? notRunLegs[i] ?? 0 : c.legs?.length ?? 1), 0);
  if (results.length) {
    // The outcome and replay line are the runner's own; the rest comes from each case's result.json.
    const rows = ran.map(({ r, c }) => ({ ...(r.result as unknown as ReportRunResult), scenario: r.result?.scenario ?? c.scenario.name, caseId: r.result?.caseId ?? c.id, outcome: r.outcome, replay: r.replay }));
    io.out(formatSummary(rows as ReportRunResult[]).trimEnd());
  }
  if (stopped && skipped) io.err(`killdrill: a stop condition interrupted a case; the ${skipped} case(s) after it were not run`);
  let code: number = abort.signal.aborted ? EXIT.interrupted : exitCodeFor(results);
  if (sel.junit) {
    // A testcase per case, and per leg of a sequence (its legs not run are skipped).
    const cases: JunitCase[] = sel.cases.flatMap((c, i) =>
      (c.legs ?? [c]).map((x, k) => {
        const r = byIndex[i]?.[k];
        const base = { file: c.file, scenario: c.scenario.name, caseId: x.id };
        if (!r) return { ...base, outcome: 'not-run', reasons: [] };
        return { ...(r.result as unknown as Partial<ReportRunResult>), ...base, outcome: r.outcome, reasons: r.reasons, replay: r.replay, runDir: r.runDir, seconds: c.legs ? (r.result?.endedAt - r.result?.startedAt) / 1000 || seconds[i] : seconds[i] };
      }),
    );
    try {
      mkdirSync(dirname(sel.junit), { recursive: true });
      writeFileSync(sel.junit, junitXml(cases));
      io.err(`killdrill: JUnit report of ${cases.length} case(s) written to ${sel.junit}`);
    } catch (err) {
      io.err(`killdrill: cannot write the JUnit report ${sel.junit}: ${err instanceof Error ? err.message : String(err)}; give a writable path to --junit`);
      if (code === EXIT.passed) code = EXIT.errored;
    }
  }
  io.out(`killdrill: ${n('passed')} passed, ${n('failed')} failed, ${n('errored')} errored${n('interrupted') || skipped ? `, ${n('interrupted')} interrupted, ${skipped} not run` : ''}`);
  return code;
}
