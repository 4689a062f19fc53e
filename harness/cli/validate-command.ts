// `killdrill validate <file|dir>… [--target FILE]`: check scenario files (and a target file) against their schemas (exit 0 valid, 2 invalid).
import { listScenarioFiles, loadScenarioFile, ScenarioError, type LoadOptions } from '../scenario/index.ts';
import { EXIT } from './exit-codes.ts';
import { parseCommand, usage, UsageError, type CommandSpec } from '../../lib/cli.ts';
import { validateTarget } from './validate-target.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export const validateSpec: CommandSpec = {
  name: 'killdrill validate',
  positionals: '<file|dir>…',
  summary: 'Check scenario files (and with --target a target file) against their schemas (errors name file, line, column and field); exit 0 valid, 2 invalid.',
  options: {
    target: { type: 'string', value: 'FILE', help: 'also check a target file (targets/*.example.yaml, docs/targets.md); alone, no scenario file is needed' },
  },
};

/** `load.components`: the simulator's component plan for the load-time fault check (the killdrill command passes it). */
export async function validateMain(argv: string[], io: Io = stdio, load: LoadOptions = {}): Promise<number> {
  let files: string[];
  let targetOk = true;
  try {
    const { help, positionals, values } = parseCommand(validateSpec, argv);
    if (help) {
      io.out(usage(validateSpec));
      return EXIT.passed;
    }
    // --target FILE: the target file (harness/target/), on its own or with scenario files.
    if (typeof values.target === 'string') {
      targetOk = validateTarget(values.target, io);
      if (!positionals.length) return targetOk ? EXIT.passed : EXIT.invalid;
    }
    if (!positionals.length) throw new UsageError('killdrill: validate needs at least one scenario file or directory (killdrill validate scenarios/), or --target FILE');
    files = listScenarioFiles(positionals);
    if (!files.length) throw new UsageError(`killdrill: no *.yaml scenario files under ${positionals.join(', ')}; check the path`);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.invalid;
  }
  let bad = 0;
  for (const f of files) {
    try {
      const l = loadScenarioFile(f, load);
      io.out(`ok ${f} (${l.scenario.name}, ${l.cases.length} case${l.cases.length === 1 ? '' : 's'}${l.scenario.sequence ? `, a sequence of ${l.scenario.sequence.length} legs on one fleet` : ''})`);
    } catch (err) {
      bad++;
      io.err(err instanceof ScenarioError ? err.message : `killdrill: ${f}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (bad) io.err(`killdrill: ${bad} of ${files.length} scenario file(s) invalid`);
  return bad || !targetOk ? EXIT.invalid : EXIT.passed;
}
