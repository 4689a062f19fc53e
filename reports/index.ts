// reports/: observers of a finished (or crashed) run. They read out/runs/<id>/history.jsonl and
// result.json and write evidence.json, timeline.html and Allure results. They never change a verdict,
// and no secret given to them reaches any file they write.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRun, resolveRunDir } from './read-run.ts';
import { buildView } from './run-view.ts';
import { buildEvidence } from './evidence.ts';
import { renderTimeline } from './timeline-html.ts';
import { writeAllureResults } from './allure-results.ts';
import { redactDeep, redactText } from '../harness/history/redact.ts';

export { formatSummary } from './summary.ts';
export { junitXml, type JunitCase } from './junit.ts';
export { buildEvidence, mergeEvidence, findingWhat } from './evidence.ts';
export { writeDrillReports, type DrillFiles } from './drill-report.ts';
export { renderDrillTimeline } from './drill-timeline.ts';
export { runEvidenceSchema, drillEvidenceSchema, evidenceJsonSchemas, type RunEvidence, type DrillEvidence } from './evidence-schema.ts';
export { renderTimeline } from './timeline-html.ts';
export { readRun, resolveRunDir } from './read-run.ts';
export { buildView, type RunView } from './run-view.ts';
export { findRemoteUrls } from './remote-urls.ts';
export { redactText, redactDeep } from '../harness/history/redact.ts';
export type { RunResult, RunData, HistoryOp } from './run-types.ts';

export interface ReportOptions {
  /** Strings that must never appear in a report (the REST token, the releaseToken). */
  secrets?: readonly string[];
  /** Where Allure results go; default out/allure-results (relative to the working directory). null: none. */
  allureResultsDir?: string | null;
  owner?: string;
  severity?: 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
}

export interface ReportFiles {
  evidence: string;
  timeline: string;
  allureResultsDir: string | null;
  allureUuid: string | null;
}

export function writeReports(runDirOrResult: string, options: ReportOptions = {}): ReportFiles {
  const secrets = options.secrets ?? [];
  const dir = resolveRunDir(runDirOrResult);
  const read = readRun(dir);
  const run = { dir: read.dir, history: redactDeep(read.history, secrets), result: redactDeep(read.result, secrets) };
  const view = buildView(run);
  const evidenceText = redactText(JSON.stringify(buildEvidence(view), null, 2) + '\n', secrets);
  const timelineText = redactText(renderTimeline(view), secrets);
  const evidence = join(dir, 'evidence.json');
  const timeline = join(dir, 'timeline.html');
  writeFileSync(evidence, evidenceText);
  writeFileSync(timeline, timelineText);
  let allureResultsDir: string | null = null;
  let allureUuid: string | null = null;
  if (options.allureResultsDir !== null) {
    allureResultsDir = resolve(options.allureResultsDir ?? 'out/allure-results');
    mkdirSync(allureResultsDir, { recursive: true });
    allureUuid = writeAllureResults(run, view, {
      resultsDir: allureResultsDir,
      owner: options.owner,
      severity: options.severity,
      attachments: {
        history: redactText(run.history.map((o) => JSON.stringify(o)).join('\n') + '\n', secrets),
        result: run.result ? redactText(JSON.stringify(run.result, null, 2) + '\n', secrets) : null,
        timeline: timelineText,
      },
    });
  }
  return { evidence, timeline, allureResultsDir, allureUuid };
}
