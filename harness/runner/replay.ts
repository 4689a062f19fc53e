// The one command line that reruns exactly one case: the scenario file, `--case <id>` (matrix
// cases only), `--seed N`, `--runtime R` when the run's runtime is not the one the file picks
// itself, and `--target FILE` when the run was given a target. Every word is quoted for a POSIX
// shell (sh, bash, zsh) so it can be pasted as printed.
import { relative, isAbsolute } from 'node:path';

/** A word the shell passes through unchanged (no `=` first: zsh expands `=cmd`), else single-quoted ('\'' for a quote inside). */
export const shellQuote = (s: string) => (/^[A-Za-z0-9_./:@+-][A-Za-z0-9_./:=@+-]*$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export interface ReplayExtras {
  /** The runtime the case ran on, when it is not the file's own (`runtime:`, default process). */
  runtime?: string;
  /** The target file the run was given (`--target`), when there is one. */
  target?: string;
}

const shownPath = (file: string, cwd: string) => {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  return rel && !rel.startsWith('..') ? rel : file;
};

export function replayCommand(file: string, caseId: string, seed: number, cwd = process.cwd(), extras: ReplayExtras = {}): string {
  const parts = ['npx', 'killdrill', 'run', shellQuote(shownPath(file, cwd))];
  if (caseId !== 'default') parts.push('--case', shellQuote(caseId));
  parts.push('--seed', String(seed));
  if (extras.runtime) parts.push('--runtime', shellQuote(extras.runtime));
  if (extras.target) parts.push('--target', shellQuote(shownPath(extras.target, cwd)));
  return parts.join(' ');
}
