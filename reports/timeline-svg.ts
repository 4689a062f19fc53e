// SVG for the timeline's lanes: a bot lane (phase bands, effect ticks, post-flip marks, restart),
// a daemon's aggregate lane (share of its bots per phase, its process starts and exits), the axis.
import { CHART_W, phaseShares, type BotLane, type LaneGroup, type Scale } from './timeline-layout.ts';
import type { DaemonEvent } from './run-view.ts';
import { esc } from './html-escape.ts';

export const LANE_H = 12;
export const AGG_H = 26;
const f1 = (n: number) => (Math.round(n * 10) / 10).toString();
export const rel = (t: number, scale: Scale) => `${t - scale.origin >= 0 ? '+' : '−'}${(Math.abs(t - scale.origin) / 1000).toFixed(3)} s`;

function ticksPath(xs: number[], y: number, h: number): string {
  let d = '';
  let last = -1;
  for (const x of xs) {
    const r = Math.round(x * 2) / 2;
    if (r === last) continue; // one tick per half pixel: the path stays small at any load
    last = r;
    d += `M${r} ${y}v${h}`;
  }
  return d;
}

export function botLaneSvg(lane: BotLane, scale: Scale): string {
  const parts: string[] = [];
  for (const b of lane.bands) {
    const x = scale.x(b.from);
    const w = Math.max(0.5, scale.x(b.to) - x);
    parts.push(`<rect class="band ${esc(b.phase)}" x="${f1(x)}" y="2" width="${f1(w)}" height="${LANE_H - 4}"><title>${esc(lane.bot.slug)} ${esc(b.phase)} ${rel(b.from, scale)} → ${rel(b.to, scale)}</title></rect>`);
  }
  const order = lane.effects.filter((e) => e.kind !== 'cancel' && e.kind !== 'close').map((e) => scale.x(e.dispatchedAt));
  const cancel = lane.effects.filter((e) => e.kind === 'cancel' || e.kind === 'close').map((e) => scale.x(e.dispatchedAt));
  if (order.length) parts.push(`<path class="fx" d="${ticksPath(order, 0, 4)}"/>`);
  if (cancel.length) parts.push(`<path class="fx-cancel" d="${ticksPath(cancel, LANE_H - 4, 4)}"/>`);
  if (lane.restartAt !== null) parts.push(`<path class="restart" d="M${f1(scale.x(lane.restartAt))} 0l3 ${LANE_H / 2}l-3 ${LANE_H / 2}z"><title>restart after release ${rel(lane.restartAt, scale)}</title></path>`);
  for (const e of lane.postFlip) {
    const x = scale.x(e.dispatchedAt);
    parts.push(`<rect class="post-flip" data-seq="${e.seq}" x="${f1(x - 1.5)}" y="0" width="3" height="${LANE_H}"><title>post-flip ${esc(e.kind)} ${esc(e.key)} dispatched ${rel(e.dispatchedAt, scale)}</title></rect>`);
  }
  return `<svg class="lane-svg" width="${CHART_W}" height="${LANE_H}" viewBox="0 0 ${CHART_W} ${LANE_H}" role="img" aria-label="${esc(lane.bot.slug)}">${parts.join('')}</svg>`;
}

export function aggregateSvg(group: LaneGroup, scale: Scale, daemonEvents: DaemonEvent[]): string {
  const buckets = 275;
  const shares = phaseShares(group, scale, buckets);
  const w = CHART_W / buckets;
  const h = AGG_H - 6;
  // Stacked areas, bottom to top: Stopped, Draining, Running.
  const layers: Array<['Stopped' | 'Draining' | 'Running', string]> = [];
  const base = new Array(buckets).fill(0) as number[];
  for (const phase of ['Stopped', 'Draining', 'Running'] as const) {
    let d = '';
    for (let i = 0; i < buckets; i++) {
      const v = shares[i][phase];
      if (v <= 0.001) continue;
      d += `M${f1(i * w)} ${f1(3 + h - (base[i] + v) * h)}h${f1(w + 0.05)}v${f1(v * h)}h${f1(-w - 0.05)}z`;
      base[i] += v;
    }
    if (d) layers.push([phase, d]);
  }
  const parts = layers.map(([phase, d]) => `<path class="band ${phase}" d="${d}"/>`);
  const xs = group.lanes.flatMap((l) => l.effects.map((e) => scale.x(e.dispatchedAt))).sort((a, b) => a - b);
  if (xs.length) parts.push(`<path class="fx agg-fx" d="${ticksPath(xs, 0, 3)}"/>`);
  for (const ev of daemonEvents) {
    const x = f1(scale.x(ev.at));
    if (ev.event === 'shutdown-requested' || ev.event === 'drained' || ev.event === 'drain-timeout') {
      // The shutdown gate (journal records): a downward triangle at the top of the lane.
      const what = ev.event === 'shutdown-requested' ? 'shutdown-requested' : ev.event === 'drained' ? `drained in ${ev.waitedMs ?? '?'} ms` : `drain-timeout after ${ev.waitedMs ?? '?'} ms, ${ev.abandoned?.length ?? '?'} abandoned`;
      parts.push(`<path class="daemon-${ev.event}" d="M${x} 0l-4 6h8z"><title>${esc(group.daemon)} pid ${ev.pid ?? '?'} ${esc(what)} ${rel(ev.at, scale)}</title></path>`);
      continue;
    }
    const what = ev.event === 'exit' ? `exit ${ev.signal ?? `code ${ev.code ?? '?'}`}` : `start pid ${ev.pid ?? '?'}`;
    parts.push(`<path class="daemon-${ev.event === 'exit' ? 'exit' : 'start'}" d="M${x} ${AGG_H}l-4 -6h8z"><title>${esc(group.daemon)} ${esc(what)} ${rel(ev.at, scale)}</title></path>`);
  }
  const pf = group.lanes.flatMap((l) => l.postFlip);
  for (const e of pf) parts.push(`<rect class="post-flip-agg" x="${f1(scale.x(e.dispatchedAt) - 1.5)}" y="0" width="3" height="${AGG_H}"><title>post-flip ${esc(e.bot)} ${esc(e.kind)} ${rel(e.dispatchedAt, scale)}</title></rect>`);
  return `<svg class="agg-svg" width="${CHART_W}" height="${AGG_H}" viewBox="0 0 ${CHART_W} ${AGG_H}" role="img" aria-label="${esc(group.daemon)} aggregate">${parts.join('')}</svg>`;
}

export function axisSvg(scale: Scale): string {
  const spanS = (scale.t1 - scale.t0) / 1000;
  const step = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((s) => spanS / s <= 14) ?? 1200;
  const parts: string[] = [];
  const first = Math.ceil((scale.t0 - scale.origin) / 1000 / step) * step;
  for (let s = first; scale.origin + s * 1000 <= scale.t1; s += step) {
    const x = f1(scale.x(scale.origin + s * 1000));
    parts.push(`<path class="grid" d="M${x} 14v8"/><text x="${x}" y="11">${s > 0 ? '+' : s < 0 ? '−' : ''}${Math.abs(Math.round(s * 1000) / 1000)} s</text>`);
  }
  return `<svg class="axis-svg" width="${CHART_W}" height="22" viewBox="0 0 ${CHART_W} 22">${parts.join('')}</svg>`;
}
