// time-to-stop: every in-scope bot reaches Stopped within its class's budget (hft 30 s, others 300 s) of issuedAt.
import type { Checker } from './types.ts';
import { stopBudgetMs } from './expectations.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { apartNote, AT_THE_LEVER, clockAmbiguity, list, phaseLatency } from './phase-latency.ts';
import { fmtMs } from './stats.ts';

export const timeToStop: Checker = (h, e) => {
  const name = 'time-to-stop';
  const ready = killAndScope(h, name, { needEngaged: false });
  if (isVerdict(ready)) return ready;
  if (!h.ofType('phase').length) return unknown(name, 'no bot phase was observed at all; the phase stream observer saw nothing');
  const r = phaseLatency(h, ready.inScope, ready.kill.issuedAt, ['Stopped'], (b) => stopBudgetMs(e, b.class), AT_THE_LEVER);
  const note = apartNote(r);
  const budgets = Object.fromEntries([...new Set(ready.inScope.map((b) => b.class))].map((c) => [c, stopBudgetMs(e, c)]));
  const details = { budgetMsByClass: budgets, inScope: ready.inScope.length, perBot: r.perBot, stats: r.stats, late: r.late, missed: r.missed, pending: r.pending, alreadyOut: r.apart, runningAtLever: r.runningAtStart, killFailed: ready.kill.failed };
  if (r.runningAtStart === 0) return unknown(name, `no in-scope bot was Running when the lever was pulled, so no time to Stopped can be measured${note}`, details);
  if (r.late.length || r.missed.length) {
    const parts = [];
    if (r.missed.length) parts.push(`${r.missed.length} never stopped (${list(r.missed.map((m) => `${m.slug} [${m.class}, last ${m.lastPhase ?? 'unseen'}]`))})`);
    if (r.late.length) parts.push(`${r.late.length} stopped over budget (${list(r.late.map((l) => `${l.slug} [${l.class}] ${fmtMs(l.ms)} > ${fmtMs(l.budgetMs)}`))})`);
    return { checker: name, valid: false, summary: `of ${ready.inScope.length} in-scope bots, ${parts.join('; ')}${note}`, details };
  }
  if (r.clockAmbiguous.length) return unknown(name, clockAmbiguity(r), { ...details, clockAmbiguous: r.clockAmbiguous });
  if (r.pending.length) return unknown(name, `the run stopped watching before ${r.pending.length} bot(s) stopped and before their budget ran out (${list(r.pending.map((p) => p.slug))})`, details);
  return { checker: name, valid: true, summary: `all ${ready.inScope.length - r.apart.length} measured in-scope bots Stopped within their class budget (p50 ${fmtMs(r.stats.p50)}, max ${fmtMs(r.stats.max)})${note}`, details };
};
