// restart-after-release: after the release, every in-scope bot is Running again within budgetS.
// Unknown without a release; false when the release was refused.
import type { Checker } from './types.ts';
import { restartBudgetMs } from './expectations.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { list, phaseLatency } from './phase-latency.ts';
import { fmtMs } from './stats.ts';

export const restartAfterRelease: Checker = (h, e) => {
  const name = 'restart-after-release';
  const release = h.lever('release');
  if (!release) return unknown(name, 'this run has no release, so restarting was not exercised (skip this checker or add release.after)');
  const ready = killAndScope(h, name, { needEngaged: false });
  if (isVerdict(ready)) return ready;
  if (release.failed) return { checker: name, valid: false, summary: `the release was not accepted: ${release.failed}`, details: { failed: release.failed } };
  if (release.engagedAt === null) return unknown(name, 'the release was issued but never confirmed or refused (no lever-engaged / lever-failed)');
  const budget = restartBudgetMs(e);
  const r = phaseLatency(h, ready.inScope, release.issuedAt, ['Running'], () => budget);
  const details = { budgetMs: budget, inScope: ready.inScope.length, perBot: r.perBot, stats: r.stats, late: r.late, missed: r.missed, pending: r.pending };
  if (r.late.length || r.missed.length) {
    const parts = [];
    if (r.missed.length) parts.push(`${r.missed.length} not Running again (${list(r.missed.map((m) => `${m.slug} [last ${m.lastPhase ?? 'unseen'}]`))})`);
    if (r.late.length) parts.push(`${r.late.length} back late (${list(r.late.map((l) => `${l.slug} ${fmtMs(l.ms)}`))})`);
    return { checker: name, valid: false, summary: `after the release, ${parts.join('; ')}; budget ${fmtMs(budget)}`, details };
  }
  if (r.pending.length) return unknown(name, `the run stopped watching before ${r.pending.length} bot(s) were back and before the ${fmtMs(budget)} budget ran out (${list(r.pending.map((p) => p.slug))})`, details);
  return { checker: name, valid: true, summary: `all ${ready.inScope.length} in-scope bots Running within ${fmtMs(budget)} of the release (max ${fmtMs(r.stats.max)})`, details };
};
