// One scenario case end to end: run directory, recorder, timeline, journals, checkers, result.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ScenarioCase } from '../scenario/index.ts';
import { createRecorder, readHistory, History, type Outcome } from '../history/index.ts';
import { decideSoFar } from '../checkers/decided.ts';
import { nowMs } from '../../contracts/index.ts';
import { fmtMs } from '../checkers/stats.ts';
import { judge, runCheckers, type Verdict } from '../checkers/index.ts';
import type { AnyRuntime } from '../runtime/index.ts';
import { runCase, InputError, type CaseContext, type CaseRun } from './run-case.ts';
import { planFromScenario } from './plan-from-scenario.ts';
import { replayCommand } from './replay.ts';
import { writeReports } from '../../reports/index.ts';
import { buildResult, type Environment, type RunResult } from './result.ts';
import type { Progress } from './progress.ts';

/** The observers' longest poll (status 250 ms, the phase stream's block 250 ms) with room to spare. */
const SO_FAR_MARGIN_MS = 1000;

export interface RunScenarioOptions {
  /** Run directories go to `<outDir>/runs/<runId>/`. */
  outDir: string;
  runtime: AnyRuntime;
  progress: Progress;
  /** `run --target FILE`: the target file (on the replay line) and what it names (in run-start's config). */
  target?: { file: string; kind: 'simulated' | 'external'; name: string; environment?: string };
  signal: AbortSignal;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Cases run side by side (`run --jobs`): this one's block of the port range. */
  portBlock?: { index: number; of: number };
  /** `run --observe-full`: watch every budget out even once the case is decided (every bot's time-to-stop). */
  observeFull?: boolean;
  /** Stop conditions of this case (`run --max-case-duration`, `--guard`…; case-stop.ts). */
  stop?: CaseContext['stop'];
  /** `run --stop-on-no-restart`. */
  stopOnNoRestart?: boolean;
  /** A sequence's leg: the case id its replay line selects (the whole sequence, run-sequence.ts). */
  replayCase?: string;
  /** A sequence's later leg: the fleet ran before this case, so its ledger's backlog is not this case's load. */
  fleetRanBefore?: boolean;
  /** `run --max-clock-offset` (preflight). */
  maxClockOffsetMs?: number;
}

export interface CaseOutcome {
  outcome: Outcome;
  /** A scenario problem found only once the fleet was up (exit 2), e.g. a fault aimed at a missing component. */
  invalidInput: boolean;
  reasons: string[];
  replay: string;
  runDir: string;
  result: RunResult;
}

export function newRunId(name: string, caseId: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const slug = `${name}${caseId === 'default' ? '' : '-' + caseId}`.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 80);
  return `${stamp}-${slug}-${randomBytes(3).toString('hex')}`;
}

function environment(): Environment {
  let gitRevision: string | null = null;
  try {
    gitRevision = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    gitRevision = null;
  }
  return { hostname: hostname(), node: process.version, platform: `${process.platform}-${process.arch}`, gitRevision };
}

export async function runScenarioCase(c: ScenarioCase, opts: RunScenarioOptions): Promise<CaseOutcome> {
  const s = c.scenario;
  const plan = planFromScenario(c, opts.seed);
  const runId = newRunId(s.name, c.id);
  const runDir = join(opts.outDir, 'runs', runId);
  mkdirSync(runDir, { recursive: true });
  const recorder = createRecorder(join(runDir, 'history.jsonl'));
  // The runtime goes on the replay line when it is not the one the file picks itself (runtime:, default process).
  const replay = replayCommand(c.file, opts.replayCase ?? c.id, plan.seed, process.cwd(), opts.target ? { target: opts.target.file } : opts.runtime.name !== s.runtime ? { runtime: opts.runtime.name } : {});
  const startedAt = Date.now();
  recorder.emit({
    type: 'run-start',
    runId,
    scenario: s.name,
    case: c.id,
    seed: plan.seed,
    file: c.file,
    config:
      opts.target?.kind === 'external'
        ? { target: { kind: 'external', name: opts.target.name, environment: opts.target.environment }, ...s.fleet.overrides, runtime: opts.runtime.name }
        : { preset: s.fleet.preset, bots: s.fleet.bots ?? null, bugs: s.fleet.bugs, ...s.fleet.overrides, runtime: opts.runtime.name, ...(opts.target ? { target: { kind: 'simulated', name: opts.target.name } } : {}) },
    plan,
    replay,
    ...(s.detects ? { detects: s.detects } : {}),
  });

  let run: CaseRun;
  let invalidInput = false;
  try {
    // The history so far, judged by the same checkers: a case whose verdict cannot change ends early.
    // Asked only while no observer is failing: every source is then read to within its poll interval,
    // so the history so far is taken as observed until SO_FAR_MARGIN_MS ago.
    const judgeSoFar = () => {
      const now = nowMs();
      const h = new History([...recorder.ops(), { t: now, type: 'observers-stopped', at: now - SO_FAR_MARGIN_MS }]);
      return decideSoFar(h, (x) => runCheckers(x, s.expect, s.skip ?? []), s.detects, now);
    };
    run = await runCase(plan, {
      runId, dataDir: join(runDir, 'fleet'), runDir, runtime: opts.runtime, emit: recorder.emit, progress: opts.progress, signal: opts.signal,
      ...(opts.portBlock ? { portBlock: opts.portBlock } : {}),
      ...(opts.observeFull ? {} : { judgeSoFar }),
      ...(opts.stop ? { stop: opts.stop } : {}),
      ...(opts.stopOnNoRestart ? { stopOnNoRestart: true } : {}),
      ...(opts.fleetRanBefore ? { fleetRanBefore: true } : {}),
      ...(opts.maxClockOffsetMs !== undefined ? { maxClockOffsetMs: opts.maxClockOffsetMs } : {}),
    });
  } catch (err) {
    invalidInput = err instanceof InputError;
    const msg = err instanceof Error ? err.message : String(err);
    run = { status: 'errored', reason: msg.startsWith('killdrill:') ? msg : `killdrill: ${msg}`, inScope: [], secrets: [] };
  }
  // The journals were read over the wire by runCase (after the observers stopped, before the fleet stopped).

  const history = readHistory(recorder.file);
  const verdicts: Verdict[] = runCheckers(history, s.expect, s.skip ?? []);
  const judgement = judge(verdicts, s.detects);
  let outcome: Outcome;
  let reasons: string[];
  if (run.status === 'completed') {
    outcome = judgement.passed ? 'passed' : 'failed';
    reasons = [...timelineNotes(history, plan.maxDurationMs, judgement.passed), ...judgement.reasons];
  } else {
    outcome = run.status;
    reasons = [run.reason ?? `killdrill: the run ${run.status}`];
  }
  recorder.emit({ type: 'run-end', outcome, ...(reasons.length ? { reason: reasons.join('\n') } : {}) });
  recorder.close();

  const result = buildResult({
    runId,
    file: c.file,
    scenario: s.name,
    caseId: c.id,
    matrixValues: c.values,
    seed: plan.seed,
    outcome,
    ...(reasons.length ? { reason: reasons.join('\n') } : {}),
    replay,
    startedAt,
    endedAt: Date.now(),
    environment: environment(),
    history,
    verdicts,
    ...(s.detects ? { detects: s.detects } : {}),
  });
  writeFileSync(join(runDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  // Reports observe the run; they never change its outcome, even when they fail.
  try {
    writeReports(runDir, { secrets: run.secrets, allureResultsDir: join(opts.outDir, 'allure-results') });
  } catch (err) {
    process.stderr.write(`killdrill: the reports of ${runDir} could not be written (the verdict stands): ${err instanceof Error ? err.message : String(err)}\n`);
  }
  return { outcome, invalidInput, reasons, replay, runDir, result };
}

/** Why the timeline was shorter than written: the case was decided early, or load.duration ran out. */
function timelineNotes(h: History, durationMs: number, passed: boolean): string[] {
  const notes: string[] = [];
  const kill = h.lever('kill');
  const rel = (at: number) => (kill ? `${fmtMs(at - kill.issuedAt)} after the kill` : `at ${at}`);
  const decided = h.ofType('case-decided')[0];
  const capped = h.ofType('duration-reached')[0];
  if (decided && !passed) notes.push(`killdrill: the case was decided ${rel(decided.at)} (${decided.stage} watch) and ended early: ${decided.reason}; verdicts that needed the rest of the timeline are unknown (run with --observe-full to watch every budget out)`);
  if (capped) notes.push(`killdrill: load.duration (${fmtMs(durationMs)}) ran out ${rel(capped.at)}, during the ${capped.stage} watch; the verdicts still waiting are unknown; raise load.duration`);
  return notes;
}
