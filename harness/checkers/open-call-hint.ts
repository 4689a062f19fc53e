// A hint for a failure, never a verdict: an agent run that landed nothing in a window may have been
// waiting on one provider call all along (a stalled LLM or tool call holds its run until the call
// times out). The checker that failed it says so beside the failure, from the workers' call records
// (`agent-call` ops), so whoever reads it at 3 a.m. sees the likely cause; the verdict stands.
import type { History } from '../history/index.ts';
import { fmtMs } from './stats.ts';

/** The longest call of `run` open over most of [from, until) (a quarter of the window's slack each side), in words; null if none. */
export function openCallHint(h: History, run: string | undefined, from: number, until: number): string | null {
  if (!run || !(until > from)) return null;
  const slack = (until - from) / 4;
  const open = h
    .ofType('agent-call')
    .filter((c) => c.run === run && c.startedAt <= from + slack && (c.endedAt === null || c.endedAt >= until - slack))
    .sort((a, b) => (b.endedAt ?? Infinity) - b.startedAt - ((a.endedAt ?? Infinity) - a.startedAt));
  const c = open[0];
  if (!c) return null;
  const start = c.startedAt <= from ? `${fmtMs(from - c.startedAt)} before the lever` : `${fmtMs(c.startedAt - from)} after the lever`;
  const end = c.endedAt === null ? 'past the end of observation' : c.endedAt >= until ? `${fmtMs(c.endedAt - until)} past the window` : `${fmtMs(until - c.endedAt)} before the window's end`;
  return `its ${c.kind} call ${c.name} (status ${c.status}${c.aborted ? ', aborted' : ''}) was open from ${start} to ${end}: a run waiting on a stalled call lands nothing, with or without a kill`;
}
