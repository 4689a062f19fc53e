// The agent worker's tasks on a real job queue (issue 14 item 3): BullMQ on the fleet's Redis.
// Every run step is a job (`step`, delayed by the think time), a timer is a delayed job
// (`timer`), a failed tool call is retried by a delayed job (`retry`), a child run starts as the
// child job of a flow whose parent is a `fan-in` job of its parent run. One queue per worker (`agents-<host>-<worker>`), so a job is processed by the
// process that owns its run: BullMQ cancels a job only in the process running it. A kill's
// queue policy is applied here: `discard` removes the waiting and delayed jobs in scope and
// writes each as not run to `<dataDir>/queue/<host>.<worker>.jsonl` (a resume re-enqueues the
// steps); `drain` leaves the steps (they are taken, find the scope killed and do nothing) and
// nothing new is enqueued in scope. Timers and retries are removed under either policy.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FlowProducer, Queue, Worker, type Job } from 'bullmq';
import { namespaceOf, nowMs } from '../model.ts';
import type { HostPort } from '../fleet-file.ts';

export type TaskName = 'step' | 'timer' | 'retry' | 'fan-in';
export interface TaskData {
  run_id: string;
  /** `retry`: the tool call to try again, and which attempt this is. */
  tool?: string;
  attempt?: number;
  /** `retry` of a write: the planned idempotency key it dispatches again. */
  key?: string;
  /** `fan-in`: the child run whose first step it waits for (a BullMQ flow: parent job, child job). */
  child?: string;
  /** `timer` due at once: a task submitted from outside (POST /tasks), a follow-up step of its run. */
  submitted?: boolean;
}
export type QueuePolicy = 'drain' | 'discard';
export const QUEUE_POLICIES: readonly QueuePolicy[] = ['drain', 'discard'];

/** A line of the queue journal: a job removed by a discard (for resume), or re-enqueued by one. */
export interface QueueJournalLine {
  type: 'not-run' | 'resumed';
  jobId: string;
  name: TaskName;
  run_id: string;
  /** Its state when removed (`waiting`, `delayed`, `prioritized`). */
  state?: string;
  at: number;
}

export interface TaskQueueOptions {
  redis: HostPort;
  keyPrefix: string;
  host: string;
  worker: string;
  dataDir: string;
  concurrency: number;
  process: (name: TaskName, data: TaskData, signal: AbortSignal | undefined) => Promise<void>;
}

export class TaskQueue {
  readonly name: string;
  readonly journalFile: string;
  private readonly queue: Queue<TaskData, void, TaskName>;
  private readonly worker: Worker<TaskData, void, TaskName>;
  private readonly flow: FlowProducer;
  /** Jobs journaled as not run so far (the queue journal's not-run lines of this life). */
  notRunCount = 0;

  constructor(o: TaskQueueOptions) {
    this.name = `agents-${o.host}-${o.worker}`.replace(/[^a-zA-Z0-9_-]/g, '-');
    const connection = { host: o.redis.host, port: o.redis.port, maxRetriesPerRequest: null, retryStrategy: () => 200 };
    const prefix = `${namespaceOf(o.keyPrefix)}:bull`;
    this.queue = new Queue(this.name, { connection, prefix, defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 1000 } });
    this.queue.on('error', () => {}); // reconnects on its own
    this.worker = new Worker<TaskData, void, TaskName>(this.name, (job: Job<TaskData, void, TaskName>, _token?: string, signal?: AbortSignal) => o.process(job.name, job.data, signal), { connection, prefix, concurrency: o.concurrency, autorun: false });
    this.worker.on('error', () => {});
    this.flow = new FlowProducer({ connection, prefix });
    this.flow.on('error', () => {});
    const dir = join(o.dataDir, 'queue');
    mkdirSync(dir, { recursive: true });
    this.journalFile = join(dir, `${o.host}.${o.worker}.jsonl`);
  }

  /**
   * Empties the queue before the worker's runs start: jobs an earlier life of this worker left
   * (it was killed, or restarted) would otherwise give a run a second chain of steps. Returns
   * how many there were; a restarted worker starts its runs afresh (resume from the queue
   * journal across restarts is not built).
   */
  async start(): Promise<number> {
    await this.queue.waitUntilReady();
    const left = Object.values(await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).reduce((a, b) => a + b, 0);
    if (left > 0) await this.queue.obliterate({ force: true });
    void this.worker.run().catch(() => {});
    await this.worker.waitUntilReady();
    return left;
  }

  add(name: TaskName, data: TaskData, delayMs = 0): Promise<unknown> {
    return this.queue.add(name, data, delayMs > 0 ? { delay: Math.round(delayMs) } : {}).catch(() => null); // Redis down: the run parks on its next gate
  }

  /** Fan-out as a flow: the child run's first step is the child job of its parent run's `fan-in` job. */
  spawn(parentRun: string, childRun: string): Promise<unknown> {
    return this.flow.add({ name: 'fan-in', queueName: this.name, data: { run_id: parentRun, child: childRun }, children: [{ name: 'step', queueName: this.name, data: { run_id: childRun } }] }).catch(() => null);
  }

  /** Removes the waiting and delayed jobs `inScope` selects (by run and job name); each is journaled as not run. */
  async discard(inScope: (run_id: string, name: TaskName) => boolean): Promise<QueueJournalLine[]> {
    const out: QueueJournalLine[] = [];
    for (const state of ['waiting', 'delayed', 'prioritized', 'waiting-children'] as const) {
      const jobs = await this.queue.getJobs([state]);
      for (const job of jobs) {
        if (!job?.id || !inScope(job.data.run_id, job.name as TaskName)) continue;
        try {
          await job.remove();
        } catch {
          continue; // taken by the worker meanwhile: it meets the gate
        }
        this.notRunCount++;
        const line: QueueJournalLine = { type: 'not-run', jobId: job.id, name: job.name as TaskName, run_id: job.data.run_id, state, at: nowMs() };
        appendFileSync(this.journalFile, `${JSON.stringify(line)}\n`);
        out.push(line);
      }
    }
    return out;
  }

  /** Re-enqueues the steps a discard removed (the journal); timers and retries were cancelled, not deferred. */
  async resume(lines: QueueJournalLine[]): Promise<void> {
    for (const l of lines) {
      if (l.name !== 'step') continue;
      await this.add('step', { run_id: l.run_id });
      appendFileSync(this.journalFile, `${JSON.stringify({ ...l, type: 'resumed', at: nowMs() } satisfies QueueJournalLine)}\n`);
    }
  }

  /** Removes the delayed timers and retries of the runs in scope (cancelled under either policy). */
  async cancelTimers(inScope: (run_id: string, name: TaskName) => boolean): Promise<{ timer: number; retry: number; removed: Array<{ name: 'timer' | 'retry'; run_id: string }> }> {
    const n = { timer: 0, retry: 0, removed: [] as Array<{ name: 'timer' | 'retry'; run_id: string }> };
    for (const job of await this.queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
      if (!job?.id || (job.name !== 'timer' && job.name !== 'retry') || !inScope(job.data.run_id, job.name)) continue;
      try {
        await job.remove();
        n[job.name as 'timer' | 'retry']++;
        n.removed.push({ name: job.name as 'timer' | 'retry', run_id: job.data.run_id });
      } catch {
        // already promoted or taken: its fire meets the gate
      }
    }
    return n;
  }

  /** The jobs not yet done, by run and state (waiting, active, delayed, prioritized, waiting-children). */
  async countsByRun(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const) {
      for (const job of await this.queue.getJobs([state])) {
        if (!job?.data?.run_id) continue;
        const r = (out[job.data.run_id] ??= {});
        r[state] = (r[state] ?? 0) + 1;
      }
    }
    return out;
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children');
  }

  async close(): Promise<void> {
    await Promise.race([Promise.allSettled([this.worker.close(true), this.queue.close(), this.flow.close()]), new Promise((r) => setTimeout(r, 1000))]);
  }
}
