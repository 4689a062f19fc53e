// The record of every provider call an agent worker made (issue 14 item 2): one per LLM or
// tool request, written by the msw handler that answered it from what it observed of
// `request.signal`. Open calls are kept apart; a call gets its `seq` when it ends, so
// `after(seq)` pages finished calls in the order they ended, like the venue's ledger.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type CallKind = 'llm' | 'tool';
export type ToolAccess = 'read' | 'write';
/** What the handler answered: an HTTP status, or 'stall' (never answered until aborted). */
export type CallStatus = 200 | 429 | 500 | 'stall';

export interface CallRecord {
  /** Unique within the worker process (`<worker>-<n>`). */
  id: string;
  run_id: string;
  kind: CallKind;
  /** The model for LLM calls, the tool name for tool calls. */
  name: string;
  /** The capability the call exercises (`llm`, or the tool's). */
  capability: string;
  access?: ToolAccess;
  status: CallStatus;
  startedAt: number;
  /** When the handler finished (its response fully sent, or it stopped on the abort); null while open. */
  endedAt: number | null;
  aborted: boolean;
  abortedAt: number | null;
  /** Write tools: the side effect's idempotency key once it was handed to the execution boundary. */
  effectKey?: string;
  /** Finished calls only: the order in which calls ended (1, 2, …). */
  seq?: number;
}

export interface CallPage {
  calls: CallRecord[];
  next: number;
  /** Calls still open (no seq yet), oldest first. */
  open: CallRecord[];
}

export class CallLog {
  private done: CallRecord[] = [];
  private openCalls = new Map<string, CallRecord>();
  private n = 0;
  private readonly prefix: string;
  private readonly file: string | null;
  private readonly onEnd: ((rec: CallRecord) => void) | null;

  /** `file`: finished records are also appended there as JSON lines (they survive the process); `onEnd`: told of each. */
  constructor(prefix: string, file: string | null = null, onEnd: ((rec: CallRecord) => void) | null = null) {
    this.prefix = prefix;
    this.file = file;
    this.onEnd = onEnd;
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  open(r: Omit<CallRecord, 'id' | 'endedAt' | 'aborted' | 'abortedAt' | 'seq'>): CallRecord {
    const rec: CallRecord = { id: `${this.prefix}-${++this.n}`, ...r, endedAt: null, aborted: false, abortedAt: null };
    this.openCalls.set(rec.id, rec);
    return rec;
  }

  abort(rec: CallRecord, at: number): void {
    if (rec.aborted || rec.endedAt !== null) return;
    rec.aborted = true;
    rec.abortedAt = at;
  }

  end(rec: CallRecord, at: number): void {
    if (rec.endedAt !== null) return;
    rec.endedAt = at;
    rec.seq = this.done.length + 1;
    this.openCalls.delete(rec.id);
    this.done.push(rec);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(rec)}\n`);
    this.onEnd?.(rec);
  }

  after(seq: number, limit = 10_000): CallPage {
    const calls = this.done.slice(Math.max(0, seq), Math.max(0, seq) + limit);
    return { calls, next: calls.length ? calls[calls.length - 1].seq! : seq, open: [...this.openCalls.values()] };
  }

  get openCount(): number {
    return this.openCalls.size;
  }
}
