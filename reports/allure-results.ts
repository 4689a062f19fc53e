// Allure results (allure-js-commons) of one run: one test result per run, a step per phase of the
// drill (with the real times from the history), parameters path/scope/mode/seed, labels
// incident/severity/owner, attachments history/result/timeline. `npm run report` turns a results
// directory into the HTML report (reports/allure-report.ts).
import { createHash, randomUUID } from 'node:crypto';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import { ContentType, Stage, Status, type StepResult, type TestResult } from 'allure-js-commons';
import type { RunView } from './run-view.ts';
import type { RunData } from './run-types.ts';

export interface AllureOptions {
  resultsDir: string;
  owner?: string;
  severity?: 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
  /** Already-redacted texts to attach. */
  attachments: { history: string; result: string | null; timeline: string };
}

const statusOf = (valid: boolean | 'unknown' | undefined): Status => (valid === true ? Status.PASSED : valid === false ? Status.FAILED : Status.SKIPPED);

function step(name: string, start: number | null | undefined, stop: number | null | undefined, status: Status, message?: string, steps: StepResult[] = []): StepResult {
  const s = typeof start === 'number' ? Math.round(start) : undefined;
  return {
    name,
    status,
    statusDetails: message ? { message } : {},
    stage: Stage.FINISHED,
    steps,
    attachments: [],
    parameters: [],
    start: s,
    stop: typeof stop === 'number' ? Math.max(s ?? 0, Math.round(stop)) : s,
  };
}

/** The drill's phases as steps: fleet up, warm-up, faults, kill, drain and stop, release, restart, checkers. */
export function phaseSteps(run: RunData, view: RunView): StepResult[] {
  const h = run.history;
  const find = (type: string, pred: (o: Record<string, unknown>) => boolean = () => true) => h.find((o) => o.type === type && pred(o));
  const at = (o: Record<string, unknown> | undefined) => (o ? ((typeof o.at === 'number' ? o.at : o.t) as number) : null);
  const verdict = (name: string) => view.verdicts.find((v) => v.checker === name);
  const l = view.lever;
  const steps: StepResult[] = [];
  const fleetUp = at(find('fleet-up')) ?? at(find('roster'));
  steps.push(step('fleet up', view.startedAt, fleetUp, fleetUp !== null ? Status.PASSED : Status.BROKEN, fleetUp === null ? 'the fleet never came up' : undefined));
  if (fleetUp !== null) steps.push(step('warm-up under load', fleetUp, l.issuedAt ?? view.endedAt, Status.PASSED));
  for (const f of view.faults) {
    steps.push(step(`fault ${f.kind} (${f.id})`, f.injectedAt, f.healedAt ?? view.endedAt, f.healedAt !== null ? Status.PASSED : Status.BROKEN, f.healedAt === null ? 'never healed' : `params ${JSON.stringify(f.params)}`));
  }
  if (l.issuedAt !== null) {
    const failed = find('lever-failed', (o) => o.lever === 'kill');
    steps.push(step(`kill: ${l.path} ${l.scope}:${l.target} (${l.mode})`, l.issuedAt, l.engagedAt ?? at(failed), l.engagedAt !== null ? Status.PASSED : Status.FAILED, failed ? String(failed.error) : l.engagedAt === null ? 'never engaged' : undefined));
    const stopAt = view.stats.timeToStopMs.max !== null ? l.issuedAt + view.stats.timeToStopMs.max : null;
    const tts = verdict('time-to-stop');
    const ttd = verdict('time-to-draining');
    steps.push(step(`drain and stop ${view.inScope.size} bots`, l.engagedAt ?? l.issuedAt, stopAt ?? l.releaseIssuedAt ?? view.endedAt, statusOf(tts?.valid), tts?.summary, [
      step(`time-to-draining p99 ${view.stats.timeToDrainingMs.p99 ?? '—'} ms`, l.issuedAt, view.stats.timeToDrainingMs.max !== null ? l.issuedAt + view.stats.timeToDrainingMs.max : null, statusOf(ttd?.valid), ttd?.summary),
      step(`time-to-stop p99 ${view.stats.timeToStopMs.p99 ?? '—'} ms`, l.issuedAt, stopAt, statusOf(tts?.valid), tts?.summary),
    ]));
  }
  if (typeof l.releaseIssuedAt === 'number') {
    steps.push(step('release', l.releaseIssuedAt, l.releasedAt, typeof l.releasedAt === 'number' ? Status.PASSED : Status.FAILED));
    const restarts = view.perBot.filter((b) => b.inScope && b.restartMs !== null).map((b) => b.restartMs as number);
    const rv = verdict('restart-after-release');
    steps.push(step(`restart after release (${restarts.length}/${view.inScope.size} bots)`, l.releaseIssuedAt, restarts.length ? l.releaseIssuedAt + Math.max(...restarts) : l.releasedAt, statusOf(rv?.valid), rv?.summary));
  }
  steps.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  steps.push(step('checkers', view.endedAt, view.endedAt, view.verdicts.some((v) => v.valid === false) ? Status.FAILED : Status.PASSED, undefined,
    view.verdicts.map((v) => step(`${v.checker}: ${v.valid === 'unknown' ? 'unknown' : v.valid ? 'pass' : 'fail'}`, view.endedAt, view.endedAt, statusOf(v.valid), v.summary))));
  return steps;
}

export function writeAllureResults(run: RunData, view: RunView, o: AllureOptions): string {
  const writer = new FileSystemWriter({ resultsDir: o.resultsDir });
  const uuid = randomUUID();
  const attach = (name: string, text: string, type: string, ext: string) => {
    const source = `${randomUUID()}-attachment.${ext}`;
    writer.writeAttachment(source, Buffer.from(text, 'utf8'));
    return { name, source, type };
  };
  const attachments = [attach('history.jsonl', o.attachments.history, ContentType.TEXT, 'txt')];
  if (o.attachments.result !== null) attachments.push(attach('result.json', o.attachments.result, ContentType.JSON, 'json'));
  attachments.push(attach('timeline.html', o.attachments.timeline, ContentType.HTML, 'html'));
  const caseKey = `${view.file}|${view.scenario}|${view.caseId}`;
  const status = view.outcome === 'passed' ? Status.PASSED : view.outcome === 'failed' ? Status.FAILED : Status.BROKEN;
  const str = (v: unknown) => String(v ?? '');
  const result: TestResult = {
    uuid,
    name: `${view.scenario}${view.caseId ? ` [${view.caseId}]` : ''}`,
    fullName: `${view.file}#${view.scenario}${view.caseId ? `[${view.caseId}]` : ''}`,
    historyId: createHash('md5').update(caseKey).digest('hex'),
    testCaseId: createHash('md5').update(`${view.file}|${view.scenario}`).digest('hex'),
    status,
    statusDetails: view.reason ? { message: view.reason, ...(view.replay ? { trace: `replay: ${view.replay}` } : {}) } : {},
    stage: Stage.FINISHED,
    description: `Kill path ${view.lever.path}, ${view.lever.scope}:${view.lever.target}, mode ${view.lever.mode}. ${view.inScope.size} of ${view.roster.length || view.perBot.length} bots in scope.${view.detects ? ` An incident reproduction (detects ${view.detects.join(', ')}): passing means the bug was detected, not that a kill switch works.` : ''}${view.replay ? ` Replay: ${view.replay}` : ''}`,
    steps: phaseSteps(run, view),
    attachments,
    parameters: [
      { name: 'path', value: str(view.lever.path) },
      { name: 'scope', value: `${view.lever.scope}:${view.lever.target}` },
      { name: 'mode', value: str(view.lever.mode) },
      { name: 'seed', value: str(view.seed) },
      { name: 'target', value: !view.target ? 'unknown' : view.target.kind === 'external' ? `external ${view.target.name} environment=${view.target.environment}` : `${view.target.kind} ${view.target.preset} bugs=${view.target.bugs.join('+') || 'none'} runtime=${view.target.runtime}` },
    ],
    labels: [
      { name: 'incident', value: view.incident ?? 'drill' },
      ...(view.detects ? [{ name: 'tag', value: 'reproduction' }] : []),
      { name: 'severity', value: o.severity ?? 'critical' },
      { name: 'owner', value: o.owner ?? 'killdrill' },
      { name: 'parentSuite', value: 'killdrill' },
      { name: 'suite', value: view.scenario },
      { name: 'epic', value: 'kill switch drills' },
      { name: 'feature', value: `kill path ${view.lever.path}` },
      { name: 'framework', value: 'killdrill' },
      ...(view.environment ? [{ name: 'host', value: view.environment.hostname }] : []),
    ],
    links: [],
    start: Math.round(view.startedAt),
    stop: Math.round(view.endedAt),
  };
  writer.writeResult(result);
  if (view.environment) writer.writeEnvironmentInfo({ node: view.environment.node, platform: view.environment.platform, gitRevision: view.environment.gitRevision });
  return uuid;
}
