// The HTML timeline of one run: one self-contained file (inline CSS, JS and SVG, nothing loaded).
// Summary on top; then the lever, fault windows, and a lane per bot grouped by host and fleet,
// aggregated per daemon (click to expand) so that 1,000 bots stay readable.
import { gatewayRowHtml } from './timeline-gateway.ts';
import { BREAKER_CSS, breakerRowsHtml } from './timeline-breakers.ts';
import type { RunView } from './run-view.ts';
import type { LaneGroup, Scale } from './timeline-layout.ts';
import { CHART_W, layoutLanes, makeScale } from './timeline-layout.ts';
import { aggregateSvg, axisSvg, botLaneSvg, rel } from './timeline-svg.ts';
import { loadRowHtml } from './timeline-load.ts';
import { AGENT_CSS, agentRowsHtml } from './timeline-agents.ts';
import { TIMELINE_CSS, TIMELINE_JS } from './timeline-assets.ts';
import { esc } from './html-escape.ts';

const EXPAND_UP_TO = 60;
const ms = (v: number | null | undefined) => (typeof v === 'number' ? `${v.toFixed(0)} ms` : '—');

function summaryHtml(view: RunView): string {
  const l = view.lever;
  const s = view.stats;
  const pf = view.figures.postFlip;
  const j = view.figures.journal;
  const pfVerdict = view.verdicts.find((v) => v.checker === 'post-flip-effects');
  const rows: Array<[string, string]> = [
    ['scenario', `${esc(view.scenario)} <small>(${esc(view.file)})</small>`],
    ['case', esc(view.caseId || '—')],
    ['seed', esc(view.seed ?? '—')],
    ['target', !view.target ? '—' : view.target.kind === 'external' ? `external ${esc(view.target.name)}, environment ${esc(view.target.environment)}` : `${esc(view.target.kind)} ${esc(view.target.preset)}, ${esc(view.target.bots ?? 'preset')} bots, bugs ${esc(view.target.bugs.join(', ') || 'none')}, runtime ${esc(view.target.runtime)}`],
    ['proves', view.detects ? `an incident reproduction (detects ${esc(view.detects.join(', '))}): passing means the bug was detected, not that the kill switch works` : 'the kill switch, when every checker passes'],
    ['lever', `path <b>${esc(l.path)}</b>, scope <b>${esc(l.scope)}</b>:${esc(l.target)}, mode <b>${esc(l.mode)}</b>${l.level !== undefined ? `, level ${esc(l.level)}` : ''}`],
    ['outcome', `<span class="badge ${esc(view.outcome)}">${esc(view.outcome)}</span> ${esc(view.reason ?? '').replace(/\n/g, '<br>')}`],
    ['bots', `${view.roster.length || view.perBot.length} (in scope ${view.inScope.size})`],
    ['time-to-draining', `p50 ${ms(s.timeToDrainingMs.p50)} · p99 ${ms(s.timeToDrainingMs.p99)} · max ${ms(s.timeToDrainingMs.max)}`],
    ['time-to-stop', `p50 ${ms(s.timeToStopMs.p50)} · p99 ${ms(s.timeToStopMs.p99)} · max ${ms(s.timeToStopMs.max)}`],
    ['post-flip effects', pf
      ? `<b>${pf.count}</b> (mode ${esc(pf.mode)}, window engaged ${rel(pf.engagedAt, { origin: l.issuedAt ?? pf.engagedAt } as Scale)} → ${pf.windowEnd !== null ? `release issued ${rel(pf.windowEnd, { origin: l.issuedAt ?? pf.windowEnd } as Scale)}` : 'end of run'}) · in flight at engaged ${pf.inFlightAtEngaged ?? '—'} · propagation tail ${pf.propagationTail ?? '—'}`
      : `— ${esc(pfVerdict?.summary ?? 'the post-flip-effects checker gave no figures')}`],
    ['journal', j ? `${j.intents} intents · ${j.ledgerEffects} ledger effects · ${j.notLandedCount} not landed · ${j.withoutIntentCount} without intent · ${j.duplicates.length} landed twice` : '— (the journal-consistent checker gave no figures)'],
    ['faults', view.faults.length ? view.faults.map((f) => `${esc(f.kind)} <small>(${esc(f.id)})</small> ${f.injectedAt !== null ? `injected ${rel(f.injectedAt, { origin: l.issuedAt ?? f.injectedAt } as Scale)}` : ''} ${f.healedAt !== null ? `healed ${rel(f.healedAt, { origin: l.issuedAt ?? f.healedAt } as Scale)}` : '<b>never healed</b>'}`).join('<br>') : 'none'],
    ['replay', view.replay ? `<code>${esc(view.replay)}</code>` : '—'],
  ];
  const verdicts = view.verdicts.map((v) => `<tr><td>${esc(v.checker)}</td><td><span class="badge v-${esc(v.valid)}">${v.valid === 'unknown' ? 'unknown' : v.valid ? 'pass' : 'fail'}</span></td><td>${esc(v.summary)}</td></tr>`);
  const note = view.figures.from === 'history'
    ? '<p class="note">The run left no result.json: the figures above are the checkers run by the reports over the history it left, not the run\'s verdicts.</p>'
    : '';
  const listed = pf?.effects ?? [];
  const more = pf && pf.count > listed.length ? ` — the checker counted ${pf.count}, the first ${listed.length} listed` : '';
  const pfTable = listed.length
    ? `<h2>Post-flip effects (${pf!.count}${more})</h2><table><tr><th>bot</th><th>kind</th><th>key</th><th>seq</th><th>dispatched after engaged</th></tr>${listed.map((e) => `<tr><td>${esc(e.bot)}</td><td>${esc(e.kind)}</td><td>${esc(e.key)}</td><td class="num">${e.seq}</td><td class="num">${(e.dispatchedAt - pf!.engagedAt).toFixed(1)} ms</td></tr>`).join('')}</table>`
    : '';
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>
<h2>Verdicts</h2><table class="verdicts"><tr><th>checker</th><th>verdict</th><th>reason</th></tr>${verdicts.join('') || '<tr><td colspan="3">no verdicts (the run has no result.json)</td></tr>'}</table>${note}${pfTable}`;
}

function overlays(view: RunView, scale: Scale, labelPx: number): string {
  const out: string[] = [];
  const at = (t: number) => `${(labelPx + scale.x(t)).toFixed(1)}px`;
  for (const f of view.faults) {
    if (f.injectedAt === null) continue;
    const end = f.healedAt ?? scale.t1;
    out.push(`<div class="window" data-fault="${esc(f.id)}" style="left:${at(f.injectedAt)};width:${Math.max(1, scale.x(end) - scale.x(f.injectedAt)).toFixed(1)}px" title="${esc(f.kind)}"></div>`);
  }
  const marks: Array<[string, number | null | undefined, string]> = [
    ['issued', view.lever.issuedAt, 'kill issued'],
    ['engaged', view.lever.engagedAt, 'kill engaged'],
    ['release-issued', view.lever.releaseIssuedAt, 'release issued'],
    ['released', view.lever.releasedAt, 'released'],
  ];
  for (const [cls, t, title] of marks) if (typeof t === 'number') out.push(`<div class="marker ${cls}" style="left:${at(t)}" title="${title} ${rel(t, scale)}"></div>`);
  return out.join('');
}

function leverRows(view: RunView, scale: Scale): string {
  const l = view.lever;
  const tag = (t: number | null | undefined, text: string) => (typeof t === 'number' ? `<text class="lever-tag" x="${scale.x(t).toFixed(1)}" y="11">${text}</text>` : '');
  const lever = `<div class="row"><div class="label"><b>lever</b> ${esc(l.path)} ${esc(l.scope)}:${esc(l.target)}</div><svg width="${CHART_W}" height="14" viewBox="0 0 ${CHART_W} 14">${tag(l.issuedAt, 'kill')}${tag(l.releaseIssuedAt, 'release')}</svg></div>`;
  const faults = view.faults.map((f) => {
    if (f.injectedAt === null) return '';
    const x = scale.x(f.injectedAt);
    const w = Math.max(1, scale.x(f.healedAt ?? scale.t1) - x);
    return `<div class="row fault" data-fault="${esc(f.id)}"><div class="label" title="${esc(JSON.stringify(f.params))}">fault ${esc(f.kind)}</div><svg width="${CHART_W}" height="12" viewBox="0 0 ${CHART_W} 12"><rect class="fault-bar" x="${x.toFixed(1)}" y="2" width="${w.toFixed(1)}" height="8"><title>${esc(f.id)} ${rel(f.injectedAt, scale)} → ${f.healedAt !== null ? rel(f.healedAt, scale) : 'never healed'}</title></rect></svg></div>`;
  });
  return lever + faults.join('');
}

function groupHtml(view: RunView, g: LaneGroup, scale: Scale, open: boolean): string {
  const events = view.daemons.filter((d) => d.host === g.host && d.daemon === g.daemon);
  const pf = g.lanes.reduce((n, l) => n + l.postFlip.length, 0);
  const inScope = g.lanes.filter((l) => l.inScope).length;
  const label = `${esc(g.daemon)} · ${esc(g.fleet)} · ${g.lanes.length} bots${inScope !== g.lanes.length ? ` (${inScope} in scope)` : ''}${pf ? ` · <b style="color:#d7263d">${pf} post-flip</b>` : ''}`;
  const lanes = g.lanes.map((l) => `<div class="row bot${l.inScope ? '' : ' out'}" data-bot="${esc(l.bot.slug)}"><div class="label" title="${esc(l.bot.slug)} (${esc(l.bot.class)})">${esc(l.bot.slug)}</div>${botLaneSvg(l, scale)}</div>`);
  return `<details class="group" data-daemon="${esc(g.daemon)}" data-host="${esc(g.host)}"${open ? ' open' : ''}><summary class="row agg"><div class="label">${label}</div>${aggregateSvg(g, scale, events)}</summary>${lanes.join('')}</details>`;
}

export function renderTimeline(view: RunView): string {
  const scale = makeScale(view);
  const sections = layoutLanes(view, scale);
  const total = sections.reduce((n, s) => n + s.groups.reduce((m, g) => m + g.lanes.length, 0), 0);
  const open = total <= EXPAND_UP_TO;
  const body = sections.map((s) => `<h3 class="host">host ${esc(s.host)}</h3>${s.groups.map((g) => groupHtml(view, g, scale, open)).join('')}`).join('');
  const title = `killdrill timeline — ${view.scenario} ${view.caseId}`.trim();
  const sw = (cls: string, text: string) => `<span><i class="sw" style="background:${cls}"></i>${text}</span>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${TIMELINE_CSS}${view.agents ? AGENT_CSS : ''}${view.breakers.length ? BREAKER_CSS : ''}</style></head>
<body>
<h1>${esc(title)} <span class="badge ${esc(view.outcome)}">${esc(view.outcome)}</span></h1>
<p>run <code>${esc(view.runId)}</code> · started ${esc(new Date(view.startedAt).toISOString())} · times relative to the kill issued</p>
${summaryHtml(view)}
<h2>Timeline</h2>
<div class="legend">${sw('#4c9a5f', 'Running')}${sw('#e0a526', 'Draining')}${sw('#7a8594', 'Stopped')}${sw('#1d2430', 'effect (order/action, top)')}${sw('#1f5fbf', 'cancel/close (bottom) · kill issued | engaged ┆')}${sw('#d7263d', 'post-flip effect · fault window')}${sw('#0b7a75', 'release · restart ▶ · daemon start ▲')}</div>
<div class="controls"><button id="expand-all" type="button">expand all</button><button id="collapse-all" type="button">collapse all</button>
<label>find bot <input id="find-bot" list="bot-slugs" size="18"></label><datalist id="bot-slugs">${total <= 5000 ? sections.flatMap((s) => s.groups.flatMap((g) => g.lanes.map((l) => `<option value="${esc(l.bot.slug)}">`))).join('') : ''}</datalist>
${open ? '' : `<small>${total} bots: lanes are aggregated per daemon; click a daemon to expand its bots.</small>`}</div>
<div class="chart" data-bots="${total}">
${overlays(view, scale, 230)}
<div class="row axis"><div class="label"></div>${axisSvg(scale)}</div>
${leverRows(view, scale)}
${loadRowHtml(view.load, scale, view.loadScript)}
${gatewayRowHtml(view.daemons, scale)}
${breakerRowsHtml(view.breakers, scale)}
${body}
${agentRowsHtml(view.agents, scale)}
</div>
<script>${TIMELINE_JS}</script>
</body></html>
`;
}
