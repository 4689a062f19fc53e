// What most checkers need before they can judge anything: a kill lever and in-scope bots.
import type { History, Lever } from '../history/index.ts';
import type { RosterBot } from '../runner/in-scope.ts';
import type { CheckerName } from './names.ts';
import type { Verdict } from './types.ts';

export type Ready = { kill: Lever; inScope: RosterBot[] };

export function unknown(checker: CheckerName, summary: string, details: Record<string, unknown> = {}): Verdict {
  return { checker, valid: 'unknown', summary, details };
}

/** The kill and its in-scope bots, or the unknown verdict saying what is missing. */
export function killAndScope(h: History, checker: CheckerName, opts: { needEngaged: boolean }): Ready | Verdict {
  const kill = h.lever('kill');
  if (!kill) return unknown(checker, 'no kill lever was issued in this run, so there is nothing to measure');
  if (opts.needEngaged && kill.engagedAt === null) {
    return unknown(checker, `the kill was never confirmed by the system (${kill.failed ?? 'no lever-engaged recorded'}), so there is no engagedAt to measure from`, { failed: kill.failed });
  }
  if (!h.roster().length) return unknown(checker, 'no roster was recorded, so the bots in scope are unknown');
  const inScope = h.inScope();
  if (!inScope.length) return unknown(checker, `the kill (${kill.scope}:${kill.target}${kill.level ? `, level ${kill.level}` : ''}) matches no bot of the roster`);
  return { kill, inScope };
}

export const isVerdict = (x: Ready | Verdict): x is Verdict => 'valid' in x;
