// The worker's account of its queued work (issue 14 item 4): every step, timer, retry and child
// it enqueued, each job it took and whether the kill state let it do its work, and each one a
// kill's queue policy removed. Paged by `seq` like the call log (`GET /tasks?after=SEQ`), so the
// harness reads it over the control API; the checkers judge it with the providers' call records.
export type TaskKind = 'step' | 'timer' | 'retry' | 'child';
/** `enqueued`: added to the queue (a child: spawned); `started`: taken and its work began (the gate let it);
 * `skipped`: taken, the kill state said no, nothing done; `removed`: taken off the queue by a kill;
 * `policy`: a kill's queue policy was applied to the run (its removals done): nothing of it is queued from here. */
export type TaskEvent = 'enqueued' | 'started' | 'skipped' | 'removed' | 'policy';

export interface TaskRecord {
  seq: number;
  at: number;
  run_id: string;
  kind: TaskKind;
  event: TaskEvent;
  /** A child run's parent. */
  parent?: string;
  /** enqueued: when it comes due (at + delay). */
  dueAt?: number;
  /** removed: what removed it (`discard`; `timers`: the timers and retries every kill removes; `not-queued`: a submitted task the queue refused, answered 503); policy: `drain` | `discard`. */
  policy?: string;
}

export class TaskLog {
  private readonly records: TaskRecord[] = [];

  add(r: Omit<TaskRecord, 'seq'>): void {
    this.records.push({ seq: this.records.length + 1, ...r });
  }

  after(seq: number, limit = 10_000): { tasks: TaskRecord[]; next: number } {
    const tasks = this.records.slice(Math.max(0, seq), Math.max(0, seq) + limit);
    return { tasks, next: tasks.length ? tasks[tasks.length - 1].seq : seq };
  }
}
