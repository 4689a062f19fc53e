// `killdrill validate --target FILE`: check one target file (harness/target/). Returns whether it is valid.
import { loadTargetFile, TargetError } from '../target/index.ts';
import type { CliIo as Io } from '../../lib/cli.ts';

export function validateTarget(file: string, io: Io): boolean {
  try {
    const t = loadTargetFile(file);
    const note = t.kind === 'external' ? `, environment ${t.environment}${t.environment === 'production' ? ' (a run will need --confirm production)' : ''}${t.allowDrill ? '' : ', allowDrill: false (no lever will be pulled on it)'}` : `, ${t.preset}, runtime ${t.runtime}`;
    io.out(`ok ${file} (target ${t.name}: ${t.kind}${note})`);
    return true;
  } catch (err) {
    io.err(err instanceof TargetError ? err.message : `killdrill: ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}
