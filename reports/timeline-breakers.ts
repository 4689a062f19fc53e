// The timeline's circuit-breaker rows (seed 003): the bots' `breaker` journal records (docs/contracts.md
// §6, read with the journal after the run), one row per breaker — each bot's tripped span (from its
// `tripped` to its `reset`, else the end of the chart) as a faint bar, a red mark at each trip, a green
// one at each reset, an orange diamond at each failed evaluation (`error`: a finding). Absent without records.
import { CHART_W, type Scale } from './timeline-layout.ts';
import { rel } from './timeline-svg.ts';
import { esc } from './html-escape.ts';
import type { BreakerEvent } from './breaker-events.ts';

export { breakerEvents, type BreakerEvent } from './breaker-events.ts';

export const BREAKER_CSS = '.breaker-span{fill:rgba(215,38,61,.18)}.breaker-tripped{fill:var(--red)}.breaker-reset{fill:#0b7a75}.breaker-error{fill:#e07b00;stroke:#7a3f00;stroke-width:.5}';

const ROW_H = 14;

function rowHtml(breaker: string, events: BreakerEvent[], scale: Scale): string {
  const parts: string[] = [];
  const open = new Map<string, BreakerEvent>();
  const span = (trip: BreakerEvent, end: number, how: string) => {
    const x = scale.x(trip.at);
    parts.push(`<rect class="breaker-span" x="${x.toFixed(1)}" y="3" width="${Math.max(0.5, scale.x(end) - x).toFixed(1)}" height="${ROW_H - 6}"><title>${esc(`${trip.bot} (${trip.asset}) tripped ${rel(trip.at, scale)} → ${how}`)}</title></rect>`);
  };
  for (const e of events) {
    if (e.event === 'tripped' && !open.has(e.bot)) open.set(e.bot, e);
    else if (e.event === 'reset' && open.has(e.bot)) {
      span(open.get(e.bot)!, e.at, `reset ${rel(e.at, scale)}`);
      open.delete(e.bot);
    }
  }
  for (const trip of open.values()) span(trip, scale.t1, 'never reset');
  for (const e of events) {
    const x = scale.x(e.at).toFixed(1);
    const tip = `<title>${esc(`${e.bot} (${e.asset}) ${breaker} ${e.event} ${rel(e.at, scale)}: ${e.detail}`)}</title>`;
    if (e.event === 'tripped') parts.push(`<path class="breaker-tripped" d="M${x} ${ROW_H / 2}l-3 -${ROW_H / 2}h6z">${tip}</path>`);
    else if (e.event === 'reset') parts.push(`<path class="breaker-reset" d="M${x} ${ROW_H / 2}l-3 ${ROW_H / 2}h6z">${tip}</path>`);
    else parts.push(`<path class="breaker-error" d="M${x} 1l4 6l-4 6l-4 -6z">${tip}</path>`);
  }
  const count = (ev: string) => new Set(events.filter((e) => e.event === ev).map((e) => e.bot)).size;
  const errors = events.filter((e) => e.event === 'error').length;
  const label = `<b>breaker</b> ${esc(breaker)} · ${count('tripped')} bot(s) tripped${errors ? ` · <b style="color:#e07b00">${errors} error(s)</b>` : ''}`;
  return `<div class="row breaker" data-breaker="${esc(breaker)}"><div class="label" title="tripped ▼ (span until reset) · reset ▲ · could not evaluate ◆">${label}</div><svg width="${CHART_W}" height="${ROW_H}" viewBox="0 0 ${CHART_W} ${ROW_H}" role="img" aria-label="${esc(breaker)} breaker">${parts.join('')}</svg></div>`;
}

/** One row per breaker that left a record, or '' when none did. */
export function breakerRowsHtml(events: BreakerEvent[], scale: Scale): string {
  const names = [...new Set(events.map((e) => e.breaker))].sort();
  return names.map((n) => rowHtml(n, events.filter((e) => e.breaker === n), scale)).join('');
}
