// Shared by time-to-draining, time-to-stop and restart-after-release: how long each bot took,
// from a lever, to be seen in one of some phases; who was late, who never got there.
import type { History } from '../history/index.ts';
import type { RosterBot } from '../runner/in-scope.ts';
import { fmtMs, spread, type Spread } from './stats.ts';
import { botClockExcessMs, daemonClocks } from './daemon-clocks.ts';

/** A bot already in one of these when the kill lever is pulled did not stop because of it: reported apart, never a 0 ms stop. */
export const AT_THE_LEVER = ['Draining', 'Stopped'];

export interface Latency {
  perBot: Record<string, number | null>;
  /** Reached the phases, but after its budget. */
  late: Array<{ slug: string; class: string; ms: number; budgetMs: number }>;
  /** Never reached them, and the run was watched past its budget. */
  missed: Array<{ slug: string; class: string; budgetMs: number; lastPhase: string | null }>;
  /** Not reached yet when the run stopped watching, before its budget ran out: cannot say. */
  pending: Array<{ slug: string; budgetMs: number }>;
  /** Already in one of `apartIf` at `fromMs` (e.g. Draining or Stopped when the lever was pulled): not a 0 ms stop, not measured. */
  apart: Array<{ slug: string; phase: string }>;
  /** Bots seen Running at `fromMs` (the ones a time can honestly be measured for). */
  runningAtStart: number;
  stats: Spread;
  /** Within budget by the bot's clock, but its daemon may run so far behind the venue that it was not (daemon-clocks.ts). */
  clockAmbiguous: Array<{ slug: string; daemon: string; ms: number; budgetMs: number; excessMs: number }>;
}

export function phaseLatency(h: History, bots: RosterBot[], fromMs: number, phases: string[], budgetMs: (b: RosterBot) => number, apartIf: string[] = []): Latency {
  const until = h.observedUntil();
  const out: Latency = { perBot: {}, late: [], missed: [], pending: [], apart: [], runningAtStart: 0, stats: spread([]), clockAmbiguous: [] };
  const clocks = daemonClocks(h);
  const values: number[] = [];
  for (const b of bots) {
    const budget = budgetMs(b);
    const atStart = h.phaseAt(b.slug, fromMs);
    if (atStart === 'Running') out.runningAtStart++;
    if (atStart !== null && apartIf.includes(atStart)) {
      out.apart.push({ slug: b.slug, phase: atStart });
      continue;
    }
    const at = h.firstIn(b.slug, phases, fromMs);
    if (at === null) {
      out.perBot[b.slug] = null;
      if (until < fromMs + budget) out.pending.push({ slug: b.slug, budgetMs: budget });
      else out.missed.push({ slug: b.slug, class: b.class, budgetMs: budget, lastPhase: h.phaseAt(b.slug, until) });
      continue;
    }
    const ms = at - fromMs;
    out.perBot[b.slug] = ms;
    values.push(ms);
    if (ms > budget) out.late.push({ slug: b.slug, class: b.class, ms, budgetMs: budget });
    else {
      const c = botClockExcessMs(h, clocks, b.slug);
      if (ms + c.excessMs > budget) out.clockAmbiguous.push({ slug: b.slug, daemon: c.daemon, ms, budgetMs: budget, excessMs: c.excessMs });
    }
  }
  out.stats = spread(values);
  return out;
}

/** Summary words for the bots set apart, e.g. '; 2 already Draining/Stopped at the lever, not measured (mm-aapl, sa-msft)'. */
export function apartNote(r: Latency): string {
  return r.apart.length ? `; ${r.apart.length} already ${[...new Set(r.apart.map((a) => a.phase))].join('/')} at the lever, not measured (${list(r.apart.map((a) => a.slug))})` : '';
}

export const list = (xs: string[], n = 5) => (xs.length > n ? `${xs.slice(0, n).join(', ')} and ${xs.length - n} more` : xs.join(', '));

/** Why a latency verdict is unknown when bots within budget by their own clocks may not have been. */
export const clockAmbiguity = (r: Latency) =>
  `${r.clockAmbiguous.length} bot(s) made their budget by less than their daemon's clock may run behind the venue (${list(r.clockAmbiguous.map((c) => `${c.slug} ${fmtMs(c.ms)} of ${fmtMs(c.budgetMs)}, ${c.daemon} up to ${fmtMs(c.excessMs)} behind`), 3)}); every process must stamp with nowMs() (docs/contracts.md)`;
