// The reports of a drill of several legs on one fleet (a scenario's `sequence:`): ONE merged evidence
// document for the RTS 6 kill_switch_drills section (validated against its schema before it is written)
// and one timeline page of the legs' levers in order, in `<drillDir>/evidence.json` and `timeline.html`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from './read-run.ts';
import { buildView } from './run-view.ts';
import { buildEvidence, mergeEvidence } from './evidence.ts';
import { drillEvidenceSchema, runEvidenceSchema, type DrillEvidence } from './evidence-schema.ts';
import { renderDrillTimeline } from './drill-timeline.ts';
import { redactDeep, redactText } from '../harness/history/redact.ts';

export interface DrillFiles {
  evidence: string;
  timeline: string;
  doc: DrillEvidence;
}

export function writeDrillReports(drillDir: string, legDirs: string[], opts: { drillId: string; secrets?: readonly string[] }): DrillFiles {
  const secrets = opts.secrets ?? [];
  const runs = legDirs.map((d) => {
    const r = readRun(d);
    return runEvidenceSchema.parse(buildEvidence(buildView({ dir: r.dir, history: redactDeep(r.history, secrets), result: redactDeep(r.result, secrets) })));
  });
  const doc = drillEvidenceSchema.parse(mergeEvidence(runs, opts.drillId));
  // mergeEvidence sorts by date: the legs ran in order, so their run dirs follow the same order.
  const dirs = doc.runs.map((r) => legDirs[runs.findIndex((x) => x.runId === r.runId)]);
  mkdirSync(drillDir, { recursive: true });
  const evidence = join(drillDir, 'evidence.json');
  const timeline = join(drillDir, 'timeline.html');
  writeFileSync(evidence, redactText(JSON.stringify(doc, null, 2) + '\n', secrets));
  writeFileSync(timeline, redactText(renderDrillTimeline(doc, dirs, drillDir), secrets));
  return { evidence, timeline, doc };
}
