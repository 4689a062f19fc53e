// `killdrill validate <file|dir>… [--target FILE]`: check scenario files (and a target file) against their schemas (exit 0 valid, 2 invalid).
import { listScenarioFiles, loadScenarioFile, ScenarioError } from '../scenario/index.ts';
import { EXIT } from './exit-codes.ts';
import { parseArgs, UsageError } from './args.ts';
import { validateTarget } from './validate-target.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export async function validateMain(argv: string[], io: Io = stdio): Promise<number> {
  let files: string[];
  let targetOk = true;
  try {
    const { positionals, flags } = parseArgs(argv, ['target']);
    // --target FILE: the target file (harness/target/), on its own or with scenario files.
    if (flags.target !== undefined) {
      targetOk = validateTarget(flags.target, io);
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
      const l = loadScenarioFile(f);
      io.out(`ok ${f} (${l.scenario.name}, ${l.cases.length} case${l.cases.length === 1 ? '' : 's'})`);
    } catch (err) {
      bad++;
      io.err(err instanceof ScenarioError ? err.message : `killdrill: ${f}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (bad) io.err(`killdrill: ${bad} of ${files.length} scenario file(s) invalid`);
  return bad || !targetOk ? EXIT.invalid : EXIT.passed;
}
