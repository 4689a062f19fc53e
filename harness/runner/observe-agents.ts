// The agent workers' control APIs (preset agents, docs/agents.md), read over the wire like every
// other source: each worker's GET /calls?after=SEQ (finished provider calls → `agent-call` ops; the
// calls still open at the last look are recorded too, `open: true`) and GET /tasks?after=SEQ (its
// queued work → `agent-task` ops), polled; GET /queue read at T+0 (the kill confirmed) and at T+60 s,
// or before the release or at the case end when that comes first (`agent-queue`, the label says which).
import { nowMs } from '../../contracts/index.ts';
import { getJson } from '../../lib/http.ts';
import { pollLoop, type PollLoop } from './poll-loop.ts';
import type { Emit } from './emit.ts';

/** The later queue read: this long after the kill (seed 004's T+60 s). */
export const QUEUE_LATER_MS = 60_000;

interface CallRec { id: string; run_id: string; kind: 'llm' | 'tool'; name: string; capability: string; access?: 'read' | 'write'; status: number | string; startedAt: number; endedAt: number | null; aborted: boolean; abortedAt: number | null; effectKey?: string; seq?: number }
interface TaskRec { seq: number; at: number; run_id: string; kind: string; event: string; parent?: string; dueAt?: number; policy?: string }

export interface AgentObserver extends PollLoop {
  /** The kill was confirmed now: the T+0 read, and the T+60 s one armed. */
  killConfirmed(): Promise<void>;
  /** The later read now if it has not been taken (`before-release`, `case-end`); no-op before the kill. */
  laterRead(label: 'before-release' | 'case-end'): Promise<void>;
  /** One last read of the calls, recording those still open. */
  final(): Promise<void>;
}

export function observeAgents(workers: Record<string, string>, emit: Emit, onError: (e: unknown) => void, onOk: () => void, intervalMs = 200): AgentObserver {
  const names = Object.keys(workers).sort();
  const cursor = new Map(names.map((w) => [w, { calls: 0, tasks: 0 }]));
  emit({ type: 'agents-observed', at: nowMs(), workers: names });
  const get = <T>(w: string, path: string) => getJson<T>(`${workers[w]}${path}`, { timeoutMs: 5000, error: (status, _t, p) => `killdrill: agent worker ${w}'s GET ${p} answered ${status}` });
  const call = (w: string, c: CallRec, open: boolean) =>
    emit({ type: 'agent-call', worker: w, id: c.id, run: c.run_id, kind: c.kind, name: c.name, capability: c.capability, ...(c.access ? { access: c.access } : {}), status: c.status, startedAt: c.startedAt, endedAt: c.endedAt, aborted: c.aborted, abortedAt: c.abortedAt, ...(c.effectKey ? { effectKey: c.effectKey } : {}), ...(open ? { open: true } : {}) });
  const readOnce = async (recordOpen: boolean) => {
    for (const w of names) {
      const cur = cursor.get(w)!;
      const page = await get<{ calls: CallRec[]; next: number; open: CallRec[] }>(w, `/calls?after=${cur.calls}`);
      for (const c of page.calls) call(w, c, false);
      cur.calls = page.next;
      if (recordOpen) for (const c of page.open) call(w, c, true);
      const t = await get<{ tasks: TaskRec[]; next: number }>(w, `/tasks?after=${cur.tasks}`);
      for (const x of t.tasks) emit({ type: 'agent-task', worker: w, seq: x.seq, at: x.at, run: x.run_id, kind: x.kind, event: x.event, ...(x.parent ? { parent: x.parent } : {}), ...(x.dueAt !== undefined ? { dueAt: x.dueAt } : {}), ...(x.policy ? { policy: x.policy } : {}) });
      cur.tasks = t.next;
    }
  };
  // One read at a time: the last read (final) overlapping a poll still in flight read the same cursor
  // and recorded a finished call twice (seen on a busy machine in observe-agents.test.ts).
  let reading: Promise<void> = Promise.resolve();
  const read = (recordOpen: boolean): Promise<void> => {
    const p = reading.then(() => readOnce(recordOpen));
    reading = p.catch(() => {});
    return p;
  };
  const loop = pollLoop(intervalMs, () => read(false), onError, onOk);
  let killAt: number | null = null;
  let later: NodeJS.Timeout | undefined;
  let laterTaken = false;
  const queueRead = async (label: 'T+0' | 'T+60s' | 'before-release' | 'case-end') => {
    const at = nowMs();
    const out = await Promise.all(
      names.map((w) =>
        get<{ counts: Record<string, number>; byRun?: Record<string, Record<string, number>>; notRun?: number }>(w, '/queue').then(
          (q) => ({ worker: w, ok: true as const, counts: q.counts, byRun: q.byRun ?? {}, notRun: q.notRun ?? 0 }),
          (e: unknown) => ({ worker: w, ok: false as const, error: e instanceof Error ? e.message : String(e) }),
        ),
      ),
    );
    emit({ type: 'agent-queue', at, label, sinceKillMs: killAt === null ? 0 : at - killAt, workers: out });
  };
  const takeLater = async (label: 'T+60s' | 'before-release' | 'case-end') => {
    if (killAt === null || laterTaken) return;
    laterTaken = true;
    clearTimeout(later);
    await queueRead(label);
  };
  return {
    ...loop,
    async killConfirmed() {
      killAt = nowMs();
      later = setTimeout(() => void takeLater('T+60s'), QUEUE_LATER_MS);
      await queueRead('T+0');
    },
    laterRead: takeLater,
    async stop() {
      clearTimeout(later);
      await loop.stop();
    },
    async final() {
      await read(true).then(onOk, onError);
    },
  };
}
