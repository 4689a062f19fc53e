// The timeline's gateway row: the execution boundary's own shutdown gate (its journal records,
// component 'gateway', docs/contracts.md §6) — shutdown-requested, then drained or drain-timeout —
// as the daemons' marks on their aggregate lanes. Absent when the gateway never shut down.
import { CHART_W, type Scale } from './timeline-layout.ts';
import { rel } from './timeline-svg.ts';
import { esc } from './html-escape.ts';
import type { DaemonEvent } from './run-view.ts';

export function gatewayRowHtml(events: DaemonEvent[], scale: Scale): string {
  const mine = events.filter((e) => e.component === 'gateway');
  if (!mine.length) return '';
  const marks = mine.map((ev) => {
    const x = scale.x(ev.at).toFixed(1);
    const what = ev.event === 'shutdown-requested' ? 'shutdown-requested' : ev.event === 'drained' ? `drained in ${ev.waitedMs ?? '?'} ms` : `drain-timeout after ${ev.waitedMs ?? '?'} ms, ${ev.abandoned?.length ?? '?'} abandoned`;
    return `<path class="daemon-${esc(ev.event)}" d="M${x} 0l-4 6h8z"><title>gateway pid ${ev.pid ?? '?'} ${esc(what)} ${rel(ev.at, scale)}</title></path>`;
  });
  return `<div class="row gateway"><div class="label"><b>gateway</b> shutdown gate</div><svg width="${CHART_W}" height="12" viewBox="0 0 ${CHART_W} 12">${marks.join('')}</svg></div>`;
}
