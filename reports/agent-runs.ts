// An agent fleet's runs and queues from its run journal in the history (`agent-call`, `agent-queue`
// ops, docs/agents.md "Resume"): what the timeline draws (timeline-agents.ts).

const QUEUED = ['waiting', 'delayed', 'prioritized', 'waiting-children'];

export interface AgentCall {
  id: string;
  kind: string;
  name: string;
  access?: string;
  startedAt: number;
  endedAt: number;
  aborted: boolean;
  abortedAt: number | null;
}
export interface AgentRunLane {
  run_id: string;
  slug: string;
  parent: string | null;
  calls: AgentCall[];
}
export interface QueueSample {
  at: number;
  queued: number;
  active: number;
  counts: Record<string, number>;
}
export interface AgentTimeline {
  /** Root runs each followed by its children. */
  runs: AgentRunLane[];
  queues: Array<{ worker: string; samples: QueueSample[] }>;
}


/** The agent runs of a history, or null when it has no run journal calls or queue samples. */
export function agentTimeline(history: ReadonlyArray<{ type: string } & Record<string, unknown>>): AgentTimeline | null {
  const runs = new Map<string, AgentRunLane>();
  const queues = new Map<string, QueueSample[]>();
  for (const o of history) {
    if (o.type === 'agent-call') {
      const id = String(o.run_id);
      const lane = runs.get(id) ?? runs.set(id, { run_id: id, slug: String(o.slug ?? ''), parent: typeof o.parent === 'string' ? o.parent : null, calls: [] }).get(id)!;
      if (typeof o.startedAt !== 'number' || typeof o.endedAt !== 'number') continue;
      lane.calls.push({ id: String(o.id), kind: String(o.kind), name: String(o.name), ...(typeof o.access === 'string' ? { access: o.access } : {}), startedAt: o.startedAt, endedAt: o.endedAt, aborted: o.aborted === true, abortedAt: typeof o.abortedAt === 'number' ? o.abortedAt : null });
    } else if (o.type === 'agent-queue' && typeof o.at === 'number' && o.counts && typeof o.counts === 'object') {
      const c = o.counts as Record<string, number>;
      const w = String(o.worker);
      (queues.get(w) ?? queues.set(w, []).get(w)!).push({ at: o.at, queued: QUEUED.reduce((n, k) => n + (c[k] ?? 0), 0), active: c.active ?? 0, counts: c });
    }
  }
  if (!runs.size && !queues.size) return null;
  // A child's parent gets a lane even if it made no call, so the child sits under it.
  for (const r of [...runs.values()]) if (r.parent && !runs.has(r.parent)) runs.set(r.parent, { run_id: r.parent, slug: r.slug, parent: null, calls: [] });
  const roots = [...runs.values()].filter((r) => !r.parent).sort((a, b) => a.run_id.localeCompare(b.run_id));
  const ordered = roots.flatMap((root) => [root, ...[...runs.values()].filter((r) => r.parent === root.run_id).sort((a, b) => a.run_id.localeCompare(b.run_id))]);
  for (const r of ordered) r.calls.sort((a, b) => a.startedAt - b.startedAt);
  return {
    runs: ordered,
    queues: [...queues].sort(([a], [b]) => a.localeCompare(b)).map(([worker, samples]) => ({ worker, samples: samples.sort((a, b) => a.at - b.at) })),
  };
}
