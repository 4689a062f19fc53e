// The timeline of a drill of several levers on one fleet (a scenario's `sequence:`): one self-contained
// page (inline CSS and SVG, nothing loaded) with the legs' levers on one time axis, in order — kill
// issued, engaged, last bot stopped, release issued, released, last bot Running again — and each
// leg's row linking to its own run's timeline.html.
import { relative } from 'node:path';
import type { DrillEvidence } from './evidence-schema.ts';
import { esc } from './html-escape.ts';

type Run = DrillEvidence['runs'][number];
const W = 960;
const LABEL_W = 150;
const ROW_H = 34;
const MARKS = [
  ['kill issued', '#b00020'],
  ['engaged', '#e07000'],
  ['last bot stopped', '#444'],
  ['release issued', '#1565c0'],
  ['released', '#00897b'],
  ['all Running again', '#2e7d32'],
] as const;

/** The six moments of a leg, epoch ms (null: not seen). */
export function legMoments(r: Run): Array<number | null> {
  const l = r.lever;
  const issued = l.issuedAt?.epochMs ?? null;
  const maxOf = (k: 'timeToStopMs' | 'restartMs') => {
    const vs = r.timings.perBot.filter((b) => b.inScope).map((b) => b[k]);
    return vs.length && vs.every((v): v is number => typeof v === 'number') ? Math.max(...vs) : null;
  };
  const stopped = issued !== null && maxOf('timeToStopMs') !== null ? issued + maxOf('timeToStopMs')! : null;
  const released = l.releasedAt?.epochMs ?? null;
  const restart = maxOf('restartMs');
  const running = restart !== null && (l.releaseIssuedAt?.epochMs ?? null) !== null ? l.releaseIssuedAt!.epochMs + restart : null;
  return [issued, l.engagedAt?.epochMs ?? null, stopped, l.releaseIssuedAt?.epochMs ?? null, released, running];
}

export function renderDrillTimeline(doc: DrillEvidence, legDirs: string[], pageDir: string): string {
  const moments = doc.runs.map(legMoments);
  const all = moments.flat().filter((t): t is number => t !== null);
  const t0 = all.length ? Math.min(...all) : 0;
  const span = Math.max(1000, (all.length ? Math.max(...all) : 0) - t0);
  const x = (t: number) => LABEL_W + ((t - t0) / span) * (W - LABEL_W - 20);
  const rows = doc.runs.map((r, i) => {
    const y = 30 + i * ROW_H;
    const ms = moments[i];
    const known = ms.filter((t): t is number => t !== null);
    const bar = known.length > 1 ? `<line x1="${x(Math.min(...known))}" x2="${x(Math.max(...known))}" y1="${y}" y2="${y}" stroke="#bbb" stroke-width="6"/>` : '';
    const marks = ms.map((t, k) => (t === null ? '' : `<circle cx="${x(t).toFixed(1)}" cy="${y}" r="5" fill="${MARKS[k][1]}"><title>${esc(MARKS[k][0])} +${((t - t0) / 1000).toFixed(1)} s</title></circle>`)).join('');
    return `<text x="4" y="${y + 4}" class="${esc(r.outcome)}">${i + 1}. ${esc(r.lever.path)} · ${esc(r.outcome)}</text>${bar}${marks}`;
  });
  const ticks = Array.from({ length: 6 }, (_, k) => t0 + (span * k) / 5).map((t) => `<text x="${x(t).toFixed(1)}" y="${30 + doc.runs.length * ROW_H}" text-anchor="middle">+${((t - t0) / 1000).toFixed(0)} s</text>`);
  const svg = `<svg width="${W}" height="${50 + doc.runs.length * ROW_H}" role="img" aria-label="the legs' levers in order">${rows.join('')}${ticks.join('')}</svg>`;
  const legend = MARKS.map(([n, c]) => `<span><i style="background:${c}"></i>${esc(n)}</span>`).join(' ');
  const cell = (t: number | null) => (t === null ? '—' : `+${((t - t0) / 1000).toFixed(1)} s`);
  const table = doc.runs.map((r, i) => {
    const link = legDirs[i] ? relative(pageDir, `${legDirs[i]}/timeline.html`) : null;
    const d = r.timings.timeToDrainingMs.max;
    const s = r.timings.timeToStopMs.max;
    return `<tr class="${esc(r.outcome)}"><td>${i + 1}</td><td><b>${esc(r.lever.path)}</b> ${esc(r.lever.scope)}:${esc(r.lever.target)} ${esc(r.lever.mode)}</td><td>${esc(r.outcome)}</td>${moments[i].map((t) => `<td>${cell(t)}</td>`).join('')}<td>${d === null ? '—' : `${d.toFixed(0)} ms`}</td><td>${s === null ? '—' : `${s.toFixed(0)} ms`}</td><td>${link ? `<a href="${esc(link)}">${esc(r.runId)}</a>` : esc(r.runId)}</td></tr>`;
  });
  const findings = doc.findings.length ? `<ul class="findings">${doc.findings.map((f) => `<li><b>P1 finding:</b> ${esc(f.path)} — ${esc(f.what)}</li>`).join('')}</ul>` : '<p>No finding: every path passed.</p>';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(doc.drillId)} — drill timeline</title><style>
body{font:14px system-ui,sans-serif;margin:20px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
tr.failed td,tr.errored td,tr.interrupted td,text.failed,text.errored,text.interrupted{color:#b00020;fill:#b00020}svg text{font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin:0 4px 0 10px}.findings{color:#b00020}
</style></head><body><h1>Drill ${esc(doc.drillId)}</h1>
<p>${esc(doc.runs[0]?.scenario.name ?? '')} · ${esc(doc.date)} · outcome <b>${esc(doc.outcome)}</b> · ${esc(doc.proof)}</p>
${findings}<h2>The levers, in order, on one fleet</h2><p class="legend">${legend}</p>${svg}
<table><tr><th>leg</th><th>lever</th><th>outcome</th>${MARKS.map(([n]) => `<th>${esc(n)}</th>`).join('')}<th>draining max</th><th>stop max</th><th>run</th></tr>${table.join('')}</table>
</body></html>
`;
}
