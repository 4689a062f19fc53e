// The agent worker's run journal (issue 14, resume-respects-halt): each run's steps and their
// planned tool calls, so a run can be resumed from it without repeating a landed effect (the
// LangGraph trap: its resume re-runs the interrupted node from its start). One JSONL file per
// worker, `<dataDir>/journal/<host>.<worker>.runs.jsonl`, beside the effect journal, so the
// broker's `GET /journal` serves both and the harness reads them after the run. Written
// synchronously: a line is on disk before the step's first call, and survives a SIGKILL.
//
// - `agent-step` — a step begins: its number and its plan, each tool call a slot
//   (`<step>.<i>`) with, for a write, its idempotency key `<run_id>:s<step>.<i>` (fixed by the
//   plan, not by the attempt: a re-entered step dispatches the same key). `resumed` when the step
//   is re-entered (after a kill in this process, or by a restarted worker).
// - `agent-step-done` — the step ran to its end.
// - `agent-skip` — a re-entered step skipped a write whose key the effect journal says landed.
// - `agent-call` — an LLM or tool call ended (the call record: kind, name, start, end, aborted and
//   when), for the timeline; `agent-queue` — the worker's BullMQ job counts, once a second.
// - `agent-resume` — a restarted worker adopted the run from the journal: the step it re-enters
//   (or the next one), the plan's landed and pending write keys, and whether its scope was halted
//   then (halted: it does nothing until the release).
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PlanSlot {
  slot: string;
  tool: string;
  access: 'read' | 'write';
  /** A write's idempotency key. */
  key?: string;
}

interface Who {
  run_id: string;
  /** The root run's slug (the ledger's `bot`). */
  slug: string;
  worker: string;
  pid: number;
  at: number;
}
export type RunLine =
  | (Who & { type: 'agent-step'; parent?: string; step: number; plan: PlanSlot[]; resumed?: boolean })
  | (Who & { type: 'agent-step-done'; step: number })
  | (Who & { type: 'agent-skip'; step: number; slot: string; key: string })
  | (Who & { type: 'agent-call'; parent?: string; id: string; kind: string; name: string; access?: string; status: number | string; startedAt: number; endedAt: number; aborted: boolean; abortedAt: number | null })
  | { type: 'agent-queue'; worker: string; pid: number; at: number; counts: Record<string, number> }
  | (Who & { type: 'agent-resume'; parent?: string; step: number; reenters: boolean; halted: boolean; landed: string[]; pending: string[]; previousPid: number | null });

/** The idempotency key of a planned write: fixed by the run, step and slot. */
export const slotKey = (run_id: string, slot: string): string => `${run_id}:s${slot}`;

export class RunJournal {
  readonly file: string;

  constructor(dataDir: string, host: string, worker: string) {
    const dir = join(dataDir, 'journal');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${host}.${worker}.runs.jsonl`);
  }

  write(line: RunLine): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

/** Where a run stands in the journal of an earlier life of its worker. */
export interface ResumePoint {
  run_id: string;
  parent?: string;
  /** The last step begun. */
  step: number;
  plan: PlanSlot[];
  /** That step ran to its end (a resume starts the next one); else it is re-entered. */
  done: boolean;
  pid: number;
}

function lines(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  const out: Array<Record<string, unknown>> = [];
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (!l) continue;
    try {
      const o = JSON.parse(l) as unknown;
      if (o && typeof o === 'object') out.push(o as Record<string, unknown>);
    } catch {
      // a line torn by a SIGKILL: the step it began is re-entered from the line before
    }
  }
  return out;
}

/** Each run's last step from a run journal file. */
export function resumePoints(runsFile: string): Map<string, ResumePoint> {
  const out = new Map<string, ResumePoint>();
  for (const o of lines(runsFile)) {
    const run_id = o.run_id as string;
    if (o.type === 'agent-step') out.set(run_id, { run_id, ...(o.parent ? { parent: o.parent as string } : {}), step: o.step as number, plan: o.plan as PlanSlot[], done: false, pid: o.pid as number });
    else if (o.type === 'agent-step-done') {
      const p = out.get(run_id);
      if (p && p.step === o.step) p.done = true;
    }
  }
  return out;
}

/** The idempotency keys the effect journal (the daemons' format) says landed. */
export function landedKeys(journalFile: string): Set<string> {
  const out = new Set<string>();
  for (const o of lines(journalFile)) if (o.type === 'outcome' && o.status === 'landed' && typeof o.key === 'string') out.add(o.key);
  return out;
}
