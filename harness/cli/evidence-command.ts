// `killdrill evidence <runDir|result.json>… [--out FILE] [--drill-id ID] [--secret-env NAME]…`:
// one drill evidence document from one or several runs (e.g. the three paths of one drill) for the RTS 6 validation report's kill_switch_drills section.
import { writeFileSync } from 'node:fs';
import { buildEvidence, buildView, drillEvidenceSchema, mergeEvidence, readRun, redactText, runEvidenceSchema, type DrillEvidence } from '../../reports/index.ts';

const USAGE = 'usage: killdrill evidence <runDir|result.json>… [--out FILE] [--drill-id ID] [--secret-env NAME]…';

export async function evidenceMain(args: string[]): Promise<number> {
  const paths: string[] = [];
  let out: string | null = null;
  let drillId: string | undefined;
  const secrets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out' || a === '--drill-id' || a === '--secret-env') {
      const v = args[++i];
      if (v === undefined) {
        process.stderr.write(`killdrill: ${a} needs a value; ${USAGE}\n`);
        return 2;
      }
      if (a === '--out') out = v;
      else if (a === '--drill-id') drillId = v;
      else if (process.env[v]) secrets.push(process.env[v] as string);
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('--')) {
      process.stderr.write(`killdrill: unknown option ${a}; ${USAGE}\n`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) {
    process.stderr.write(`killdrill: no run given; ${USAGE}\n`);
    return 2;
  }
  for (const name of ['KILLDRILL_TOKEN', 'KILLDRILL_RELEASE_TOKEN']) if (process.env[name]) secrets.push(process.env[name] as string);
  let doc: DrillEvidence;
  try {
    const runs = paths.map((p) => runEvidenceSchema.parse(buildEvidence(buildView(readRun(p)))));
    // Runs of different targets are refused (exit 2): a drill document covers one target.
    doc = drillEvidenceSchema.parse(mergeEvidence(runs, drillId));
  } catch (err) {
    process.stderr.write(`${err instanceof Error && err.message.startsWith('killdrill:') ? err.message : `killdrill: cannot build the evidence: ${err instanceof Error ? err.message : String(err)}`}\n`);
    return 2;
  }
  const text = redactText(JSON.stringify(doc, null, 2) + '\n', secrets);
  if (out) {
    writeFileSync(out, text);
    process.stderr.write(`killdrill: evidence of ${paths.length} run(s) written to ${out}\n`);
  } else process.stdout.write(text);
  process.stderr.write(redactText(`killdrill: ${doc.proof}\n`, secrets));
  return 0;
}
