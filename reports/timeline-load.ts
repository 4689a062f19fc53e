// The timeline's load lane (load.k6, docs/load.md): k6's requests/s per second as bars, its errors/s
// in red on top, each second's p50/p99 in its tooltip; the lever's marks cross it like every lane.
import { CHART_W, type Scale } from './timeline-layout.ts';
import { rel } from './timeline-svg.ts';
import { esc } from './html-escape.ts';
import type { LoadSecond } from './load-seconds.ts';

export { loadSeconds, type LoadSecond } from './load-seconds.ts';

export const LOAD_H = 34;

/** The lane's row, or '' when the run had no k6 load. */
export function loadRowHtml(seconds: LoadSecond[], scale: Scale, script: string | null): string {
  if (!seconds.length) return '';
  const peak = Math.max(1, ...seconds.map((s) => s.requestsPerS + s.errorsPerS));
  const h = LOAD_H - 4;
  const y = (v: number) => ((v / peak) * h).toFixed(1);
  const parts = seconds.map((s) => {
    const x = scale.x(s.at);
    const w = Math.max(0.5, scale.x(s.at + s.spanMs) - x - 0.5);
    const tip = `${rel(s.at, scale)}: ${s.requestsPerS} requests/s, ${s.errorsPerS} errors/s, p50 ${s.p50Ms ?? '—'} ms, p99 ${s.p99Ms ?? '—'} ms`;
    const ok = `<rect class="load-rps" x="${x.toFixed(1)}" y="${(LOAD_H - 2 - Number(y(s.requestsPerS))).toFixed(1)}" width="${w.toFixed(1)}" height="${y(s.requestsPerS)}"/>`;
    const err = s.errorsPerS > 0 ? `<rect class="load-err" x="${x.toFixed(1)}" y="${(LOAD_H - 2 - Number(y(s.requestsPerS)) - Number(y(s.errorsPerS))).toFixed(1)}" width="${w.toFixed(1)}" height="${y(s.errorsPerS)}"/>` : '';
    return `<g data-at="${s.at}"><title>${esc(tip)}</title>${ok}${err}</g>`;
  });
  const label = `<b>load</b> k6${script ? ` ${esc(script)}` : ''} · peak ${Math.round(peak)}/s`;
  return `<div class="row load"><div class="label" title="requests/s per second (errors/s in red on top)">${label}</div><svg class="load-svg" width="${CHART_W}" height="${LOAD_H}" viewBox="0 0 ${CHART_W} ${LOAD_H}" role="img" aria-label="k6 load">${parts.join('')}</svg></div>`;
}
