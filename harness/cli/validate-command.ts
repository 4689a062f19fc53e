// `killdrill validate <file|dir>…`: check scenario files against the schema (exit 0 valid, 2 invalid).
import { listScenarioFiles, loadScenarioFile, ScenarioError } from '../scenario/index.ts';
import { EXIT } from './exit-codes.ts';
import { parseCommand, usage, UsageError, type CommandSpec } from '../../lib/cli.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export const validateSpec: CommandSpec = {
  name: 'killdrill validate',
  positionals: '<file|dir>…',
  summary: 'Check scenario files against the schema (errors name file, line, column and field); exit 0 valid, 2 invalid.',
  options: {},
};

export async function validateMain(argv: string[], io: Io = stdio): Promise<number> {
  let files: string[];
  try {
    const { help, positionals } = parseCommand(validateSpec, argv);
    if (help) {
      io.out(usage(validateSpec));
      return EXIT.passed;
    }
    if (!positionals.length) throw new UsageError('killdrill: validate needs at least one scenario file or directory: killdrill validate scenarios/');
    files = listScenarioFiles(positionals);
    if (!files.length) throw new UsageError(`killdrill: no *.yaml scenario files under ${positionals.join(', ')}; check the path`);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return EXIT.invalid;
  }
  let bad = 0;
  for (const f of files) {
    try {
      const l = loadScenarioFile(f);
      io.out(`ok ${f} (${l.scenario.name}, ${l.cases.length} case${l.cases.length === 1 ? '' : 's'})`);
    } catch (err) {
      bad++;
      io.err(err instanceof ScenarioError ? err.message : `killdrill: ${f}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (bad) io.err(`killdrill: ${bad} of ${files.length} scenario file(s) invalid`);
  return bad ? EXIT.invalid : EXIT.passed;
}
