// time-to-draining: every in-scope bot leaves Running (Draining or Stopped) within budgetS of issuedAt.
import type { Checker } from './types.ts';
import { drainingBudgetMs } from './expectations.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { apartNote, AT_THE_LEVER, clockAmbiguity, list, phaseLatency } from './phase-latency.ts';
import { fmtMs } from './stats.ts';

export const timeToDraining: Checker = (h, e) => {
  const name = 'time-to-draining';
  const ready = killAndScope(h, name, { needEngaged: false });
  if (isVerdict(ready)) return ready;
  if (!h.ofType('phase').length) return unknown(name, 'no bot phase was observed at all; the phase stream observer saw nothing');
  const budget = drainingBudgetMs(e, ready.kill.path);
  const r = phaseLatency(h, ready.inScope, ready.kill.issuedAt, ['Draining', 'Stopped'], () => budget, AT_THE_LEVER);
  const note = apartNote(r);
  const details = { budgetMs: budget, inScope: ready.inScope.length, perBot: r.perBot, stats: r.stats, late: r.late, missed: r.missed, pending: r.pending, alreadyOut: r.apart, runningAtLever: r.runningAtStart, killFailed: ready.kill.failed };
  if (r.runningAtStart === 0) return unknown(name, `no in-scope bot was Running when the lever was pulled, so no time to Draining can be measured${note}`, details);
  if (r.late.length || r.missed.length) {
    const parts = [];
    if (r.missed.length) parts.push(`${r.missed.length} never left Running (${list(r.missed.map((m) => m.slug))})`);
    if (r.late.length) parts.push(`${r.late.length} drained late (${list(r.late.map((l) => `${l.slug} ${fmtMs(l.ms)}`))})`);
    return { checker: name, valid: false, summary: `of ${ready.inScope.length} in-scope bots, ${parts.join('; ')}; budget ${fmtMs(budget)}${note}`, details };
  }
  if (r.clockAmbiguous.length) return unknown(name, clockAmbiguity(r), { ...details, clockAmbiguous: r.clockAmbiguous });
  if (r.pending.length) return unknown(name, `the run stopped watching before ${r.pending.length} bot(s) drained and before the ${fmtMs(budget)} budget ran out (${list(r.pending.map((p) => p.slug))})`, details);
  return { checker: name, valid: true, summary: `all ${ready.inScope.length - r.apart.length} measured in-scope bots Draining within ${fmtMs(budget)} (p50 ${fmtMs(r.stats.p50)}, max ${fmtMs(r.stats.max)})${note}`, details };
};
