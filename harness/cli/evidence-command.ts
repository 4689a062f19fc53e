// `killdrill evidence <runDir|result.json>…` (options: evidenceSpec below): one drill evidence document from one or
// several runs (e.g. the three paths of one drill) for the RTS 6 validation report's kill_switch_drills section.
import { writeFileSync } from 'node:fs';
import { parseOrExit, type CommandSpec } from '../../lib/cli.ts';
import { buildEvidence, buildView, drillEvidenceSchema, mergeEvidence, readRun, redactText, runEvidenceSchema, type DrillEvidence } from '../../reports/index.ts';

export const evidenceSpec: CommandSpec = {
  name: 'killdrill evidence',
  positionals: '<runDir|result.json>…',
  summary: "Merge the runs of one drill (e.g. its three paths) into one evidence document for the RTS 6 validation report's kill_switch_drills section.",
  options: {
    out: { type: 'string', value: 'FILE', help: 'write the document to FILE (default: standard output)' },
    'drill-id': { type: 'string', value: 'ID', help: 'the drill id of the document (default: derived from the runs)' },
    'secret-env': { type: 'string', value: 'NAME', multiple: true, help: 'redact the value of environment variable NAME (KILLDRILL_TOKEN and KILLDRILL_RELEASE_TOKEN always are)' },
  },
  epilogue: 'exit codes: 0 written, 2 invalid input (no run, an unreadable run, runs of different targets)',
};

export async function evidenceMain(args: string[]): Promise<number> {
  const p = parseOrExit(evidenceSpec, args);
  if (typeof p === 'number') return p;
  const paths = p.positionals;
  const out = (p.values.out as string | undefined) ?? null;
  const drillId = p.values['drill-id'] as string | undefined;
  const secrets = ((p.values['secret-env'] as string[] | undefined) ?? []).flatMap((v) => (process.env[v] ? [process.env[v] as string] : []));
  if (paths.length === 0) {
    process.stderr.write(`killdrill: no run given; give one or more run directories: killdrill evidence out/runs/<id>… (run 'killdrill evidence --help')\n`);
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
