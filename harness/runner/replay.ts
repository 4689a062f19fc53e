// The one command line that reruns exactly one case (scenario file, matrix case, seed).
import { relative, isAbsolute } from 'node:path';

const shellQuote = (s: string) => (/^[A-Za-z0-9_./:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function replayCommand(file: string, caseId: string, seed: number, cwd = process.cwd()): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  const shown = rel && !rel.startsWith('..') ? rel : file;
  const parts = ['npx', 'killdrill', 'run', shellQuote(shown)];
  if (caseId !== 'default') parts.push('--case', shellQuote(caseId));
  parts.push('--seed', String(seed));
  return parts.join(' ');
}
