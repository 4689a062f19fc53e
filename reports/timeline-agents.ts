// The timeline's agent runs (issue 14, preset agents): from the agent workers' run journal, read
// with the effect journal after the run (`agent-call`, `agent-queue` ops; docs/agents.md "Resume"):
// each run a lane of its calls as bars (LLM and tool calls apart, aborted ones marked with the
// abort's time), its children right under it, indented; and a row per worker of its queue depth
// over time (waiting + delayed + prioritized + waiting-children, active on top).
import { CHART_W, type Scale } from './timeline-layout.ts';
import { rel } from './timeline-svg.ts';
import { esc } from './html-escape.ts';
import type { AgentCall, AgentTimeline, QueueSample } from './agent-runs.ts';

export { agentTimeline, type AgentTimeline } from './agent-runs.ts';

const LANE_H = 12;
const QUEUE_H = 30;

function callSvg(c: AgentCall, scale: Scale): string {
  const x = scale.x(c.startedAt);
  const w = Math.max(1, scale.x(c.endedAt) - x);
  const cls = `call ${c.kind === 'llm' ? 'llm' : c.access === 'write' ? 'tool-write' : 'tool'}${c.aborted ? ' aborted' : ''}`;
  const tip = `${c.kind} ${c.name}${c.access ? ` (${c.access})` : ''} ${rel(c.startedAt, scale)} → ${rel(c.endedAt, scale)}${c.aborted ? `, aborted at ${c.abortedAt !== null ? rel(c.abortedAt, scale) : '?'}` : ''}`;
  const mark = c.aborted && c.abortedAt !== null ? `<path class="abort-mark" d="M${(scale.x(c.abortedAt) - 3).toFixed(1)} 1 l6 10 m0 -10 l-6 10"/>` : '';
  // LLM calls in the upper half of the lane, tool calls in the lower, so the two kinds read apart at a glance.
  const y = c.kind === 'llm' ? 1 : 6;
  return `<g data-call="${esc(c.id)}"${c.aborted ? ' data-aborted="1"' : ''}><title>${esc(tip)}</title><rect class="${cls}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="5"/>${mark}</g>`;
}

function queueSvg(samples: QueueSample[], scale: Scale, peak: number): string {
  const y = (v: number) => (QUEUE_H - 2 - (v / peak) * (QUEUE_H - 4)).toFixed(1);
  const line = (f: (s: QueueSample) => number, cls: string) => `<polyline class="${cls}" points="${samples.map((s) => `${scale.x(s.at).toFixed(1)},${y(f(s))}`).join(' ')}"/>`;
  const dots = samples.map((s) => `<circle class="queue-pt" data-at="${s.at}" data-queued="${s.queued}" cx="${scale.x(s.at).toFixed(1)}" cy="${y(s.queued)}" r="1.5"><title>${esc(`${rel(s.at, scale)}: ${Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`)}</title></circle>`);
  return `${line((s) => s.queued, 'queue-queued')}${line((s) => s.active, 'queue-active')}${dots.join('')}`;
}

/** The agent section's rows, or '' when the run has no agent runs. */
export function agentRowsHtml(a: AgentTimeline | null, scale: Scale): string {
  if (!a) return '';
  const peak = Math.max(1, ...a.queues.flatMap((q) => q.samples.map((s) => Math.max(s.queued, s.active))));
  const queues = a.queues.map((q) => `<div class="row agent-queue" data-worker="${esc(q.worker)}"><div class="label" title="queued (waiting, delayed, prioritized, waiting-children) and active jobs; peak ${peak}"><b>queue</b> ${esc(q.worker)}</div><svg width="${CHART_W}" height="${QUEUE_H}" viewBox="0 0 ${CHART_W} ${QUEUE_H}">${queueSvg(q.samples, scale, peak)}</svg></div>`);
  const runs = a.runs.map((r) => {
    const aborted = r.calls.filter((c) => c.aborted).length;
    const label = r.parent ? `↳ ${esc(r.run_id.slice(r.parent.length))}` : esc(r.run_id);
    return `<div class="row agent-run${r.parent ? ' child' : ''}" data-run="${esc(r.run_id)}"${r.parent ? ` data-parent="${esc(r.parent)}"` : ''}><div class="label" title="${esc(r.run_id)}: ${r.calls.length} calls, ${aborted} aborted">${label}${aborted ? ` <b style="color:#d7263d">${aborted}✕</b>` : ''}</div><svg width="${CHART_W}" height="${LANE_H}" viewBox="0 0 ${CHART_W} ${LANE_H}">${r.calls.map((c) => callSvg(c, scale)).join('')}</svg></div>`;
  });
  return `<h3 class="host">agent runs <small>(calls: LLM top, tools bottom, writes darker, aborted red ✕; children under their parent)</small></h3>${queues.join('')}${runs.join('')}`;
}

export const AGENT_CSS = `.call.llm{fill:#5b6fb5}.call.tool{fill:#4c9a5f}.call.tool-write{fill:#1d5c2e}.call.aborted{fill:#d7263d;opacity:.8}
.abort-mark{stroke:#d7263d;stroke-width:1.4;fill:none}.agent-run.child .label{padding-left:18px;color:#3d4a5c}
.queue-queued{fill:none;stroke:#b26b00;stroke-width:1.2}.queue-active{fill:none;stroke:#1f5fbf;stroke-width:1}.queue-pt{fill:#b26b00}`;
