// An agent worker (issue 14 item 2): one process running every run of its host+worker (the
// topology's bots there, one root run each; children are spawned by fan-out), each step, timer
// and child a BullMQ job on the fleet's Redis (task-queue.ts). Calls go out with
// the global `fetch` and an AbortSignal and are answered by the msw providers installed in this
// process. The kill state is the daemons' (same KillView, FlagStore, kill keys, fail-closed
// rule); on every change, and every health check, each in-flight call and backoff wait is
// checked against its run's and capability's keys, and the ones in scope are aborted at once
// rather than awaited; a run newly in scope gets the kill's queue policy (drain | discard) and
// its timers removed. Write-tool effects go through the gateway into the venue ledger
// and are journaled (intent before dispatch, outcome after) in the daemons' journal format.
import { linkAddress, type FleetFile } from '../fleet-file.ts';
import { keysForBot, killKey, nowMs, phaseHashKey, phaseStreamKey, type Bug, type Group, type Phase } from '../model.ts';
import { NdjsonClient } from '../gateway/ndjson-client.ts';
import { FlagStore } from '../daemon/flag-store.ts';
import { Journal } from '../daemon/journal.ts';
import { KillView } from '../daemon/kill-view.ts';
import { PhaseLog } from '../daemon/phase-log.ts';
import { PhaseWriter } from '../daemon/phase-writer.ts';
import { rngFor } from '../daemon/prng.ts';
import { AgentRun, type CallOutcome, type GateResult, type RunSpec } from './agent-run.ts';
import { CallLog, type CallRecord } from './call-log.ts';
import { AGENT_DEFAULTS, type AgentOptions } from './options.ts';
import { TaskQueue, type QueueJournalLine, type QueuePolicy, type TaskData, type TaskName } from './task-queue.ts';
import { TaskLog, type TaskKind } from './task-log.ts';
import { COMPLETIONS_URL, KEY_HEADER, LLM_CAPABILITY, RUN_HEADER, startProviders, toolUrl, type ToolSpec } from './providers.ts';
import { landedKeys, resumePoints, RunJournal, type ResumePoint } from './run-journal.ts';
import { OncePerKey } from './once-per-key.ts';
import { join } from 'node:path';

const BOOT_WAIT_MS = 2000;
const QUEUE_SAMPLE_MS = 1000;
type Waiter = { run: AgentRun; capability: string; ac: AbortController };

export class AgentWorker {
  readonly calls: CallLog;
  /** The queued work, as the harness reads it (`GET /tasks`). */
  readonly tasks = new TaskLog();
  readonly runs = new Map<string, AgentRun>();
  readonly journal: Journal;
  /** Each run's steps and plans (run-journal.ts): what a resume re-enters. */
  readonly runJournal: RunJournal;
  /** Idempotency keys this worker (or an earlier life of it) saw land. */
  private readonly landed = new Set<string>();
  /** One dispatch per key at a time, none after it landed (once-per-key.ts). */
  private readonly once = new OncePerKey(this.landed);
  /** Runs adopted from an earlier life's run journal at start (`resumed` in the ready line). */
  resumed = 0;
  /** Catalog bugs planted in this worker (AGENT_BUGS, docs/agents.md "Bug catalog"). */
  private readonly bugs: ReadonlySet<string>;
  private readonly revokeInMemory: boolean;
  /** Bug run-scope-at-start: each run's own scope as read when it started (the kill reason, or null). */
  private readonly runScopeAtStart = new Map<string, string | null>();
  timersSet = 0;
  timersCancelled = 0;
  timersFired = 0;
  /** Tasks submitted from outside (POST /tasks): accepted, refused while their run's scope is killed, and started. */
  readonly submissions = { accepted: 0, refused: 0, started: 0 };
  retriesSet = 0;
  retriesCancelled = 0;
  retriesFired = 0;
  /** `fan-in` jobs processed: each a child run's first step done (BullMQ flow). */
  fanIns = 0;
  /** Jobs an earlier life of this worker left in its queue, removed at start. */
  leftoverJobs = 0;
  /** Every discard so far: the policy applied and what it removed. */
  readonly discards: Array<{ at: number; runs: string[]; policy: QueuePolicy; removed: number }> = [];
  readonly queue: TaskQueue;
  private readonly view: KillView;
  private readonly store: FlagStore;
  private readonly gateway: NdjsonClient;
  private readonly phases: PhaseWriter;
  private readonly phaseLog: PhaseLog;
  private readonly providers: ReturnType<typeof startProviders>;
  private readonly o: AgentOptions;
  private readonly prefix: string;
  private readonly seed: number;
  private readonly pollIntervalS: number;
  private readonly host: string;
  private readonly name: string;
  readonly tools: readonly ToolSpec[];
  private readonly waiting = new Set<Waiter>();
  /** Runs whose scope was seen killed (the queue policy is applied once, on the transition). */
  private readonly killed = new Set<string>();
  /** What a discard removed, per run: re-enqueued on release. */
  private readonly notRun = new Map<string, QueueJournalLine[]>();
  /** Queue work (policy, resume) runs one batch at a time, in order. */
  private queueWork: Promise<void> = Promise.resolve();
  private readonly resuming = new Set<string>();
  private readonly phase = new Map<string, Phase>();
  private readonly roots: RunSpec[];
  private health: NodeJS.Timeout | null = null;
  private queueSampler: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(fleet: FleetFile, host: string, name: string, options: Partial<AgentOptions> = {}) {
    const c = fleet.config;
    this.o = { ...AGENT_DEFAULTS, ...options };
    this.tools = this.o.tools;
    this.bugs = new Set(c.bugs);
    this.prefix = c.keyPrefix;
    this.seed = c.seed;
    this.pollIntervalS = c.pollIntervalS;
    this.host = host;
    this.name = name;
    this.roots = fleet.topology.bots
      .filter((b) => b.host === host && b.daemon === name)
      .map((b) => ({ run_id: b.run, slug: b.slug, tenant: b.tenant, feature: b.fleet, group: b.group, asset: b.asset, capability: b.capability }));
    // Bug revoke-in-memory (Celery's revokes without --statedb): a kill is known only from its broadcast
    // (pub/sub) and kept in memory — no read at boot, no polling, no staleness rule — so a restarted
    // worker has forgotten it.
    this.revokeInMemory = c.bugs.includes('revoke-in-memory');
    const storeBugs: Bug[] = this.revokeInMemory ? ['pubsub-only'] : [];
    this.view = new KillView({ pollIntervalS: c.pollIntervalS, defaultMode: c.defaultMode, bugs: storeBugs });
    this.journal = new Journal(c.dataDir, host, name);
    this.runJournal = new RunJournal(c.dataDir, host, name);
    this.phaseLog = new PhaseLog(c.dataDir, host, name);
    this.calls = new CallLog(`${host}.${name}`, join(c.dataDir, 'calls', `${host}.${name}.jsonl`), (rec) => this.journalCall(rec));
    const g = linkAddress(fleet, `bots-gateway.${host}`);
    this.gateway = new NdjsonClient({ host: g.host, port: g.port, name: 'gateway', timeoutMs: 5000, beforeWrite: () => this.journal.flush() });
    // Every key any run (or any child it may spawn) can be killed by, for every capability: known at boot.
    const keys = new Set<string>();
    for (const r of this.roots)
      for (const spec of [r, ...AgentRun.childIds(r.run_id, this.o.maxChildren).map((id) => ({ ...r, run_id: id, parent: r.run_id }))]) {
        for (const k of this.runKeys(spec)) keys.add(k);
        for (const cap of [LLM_CAPABILITY, ...this.tools.map((t) => t.name)]) keys.add(killKey(this.prefix, 'capability', cap));
      }
    this.store = new FlagStore({
      sub: linkAddress(fleet, `bots-redis-sub.${host}`),
      poll: linkAddress(fleet, `bots-redis-poll.${host}`),
      prefix: this.prefix,
      pollIntervalS: c.pollIntervalS,
      bugs: storeBugs,
      keys: [...keys],
      view: this.view,
      onChange: () => this.reconcile(),
    });
    this.queue = new TaskQueue({
      redis: linkAddress(fleet, `bots-redis-poll.${host}`),
      keyPrefix: this.prefix,
      host,
      worker: name,
      dataDir: c.dataDir,
      concurrency: Math.max(16, this.roots.length * (1 + this.o.maxChildren) * 2),
      process: (task, data) => this.processTask(task, data),
    });
    this.phases = new PhaseWriter(this.store.poller, phaseStreamKey(this.prefix), phaseHashKey(this.prefix));
    this.providers = startProviders({
      log: this.calls,
      tools: this.tools,
      chunks: this.o.chunks,
      chunkMs: this.o.chunkMs,
      retryAfterS: this.o.retryAfterS,
      faults: { rate429: this.o.rate429, rate500: this.o.rate500, rateStall: this.o.rateStall, kinds: this.o.faultKinds, rng: rngFor(c.seed, `${host}.${name}:providers`) },
      commit: (call, key) => this.dispatch(call, key),
    });
  }

  async start(): Promise<void> {
    await this.store.boot(!this.revokeInMemory, BOOT_WAIT_MS);
    if (!this.revokeInMemory) this.store.startPolling();
    else this.view.assumeRead(nowMs()); // what it has in memory (nothing, after a restart) is all it knows
    // The fail-closed staleness rule is time-based: check it (and abort what it closes) often.
    const checkMs = Math.max(20, Math.min(250, (this.pollIntervalS * 1000) / 4));
    this.health = setInterval(() => this.reconcile(), checkMs);
    await this.gateway.waitConnected(BOOT_WAIT_MS);
    this.leftoverJobs = await this.queue.start();
    // Queue depth over time, for the timeline: the job counts once a second (a failed read is skipped).
    this.queueSampler = setInterval(() => {
      this.queue.counts().then(
        (counts) => this.runJournal.write({ type: 'agent-queue', worker: `${this.host}.${this.name}`, pid: process.pid, at: nowMs(), counts }),
        () => {},
      );
    }, QUEUE_SAMPLE_MS);
    // An earlier life of this worker left its runs in the run journal: resume them from there.
    const points = resumePoints(this.runJournal.file);
    for (const k of landedKeys(this.journal.file)) this.landed.add(k);
    for (const spec of this.roots) {
      const p = points.get(spec.run_id);
      if (!p) {
        this.startRun(spec);
        continue;
      }
      const root = this.resumeRun(spec, p);
      for (const child of AgentRun.childIds(spec.run_id, this.o.maxChildren)) {
        const cp = points.get(child);
        if (!cp) continue;
        root.children++;
        this.resumeRun({ ...spec, run_id: child, parent: spec.run_id }, cp);
      }
    }
    this.reconcile();
  }

  /**
   * A run adopted from the run journal: it re-enters its interrupted step (its plan, skipping the
   * writes that landed) or starts the next one; with its scope halted it does nothing — no job
   * queued — until the release resumes it (reconcileQueue).
   */
  private resumeRun(spec: RunSpec, p: ResumePoint): AgentRun {
    const run = this.newRun(spec);
    run.steps = p.done ? p.step : p.step - 1;
    if (!p.done) run.pending = { step: p.step, plan: p.plan };
    if (run.finished) return run;
    const writes = p.done ? [] : p.plan.flatMap((s) => (s.key ? [s.key] : []));
    const g = this.gate(run, LLM_CAPABILITY, 'resume');
    this.runJournal.write({
      type: 'agent-resume', run_id: spec.run_id, slug: spec.slug, ...(spec.parent ? { parent: spec.parent } : {}), worker: `${this.host}.${this.name}`, pid: process.pid, at: nowMs(),
      step: p.done ? p.step + 1 : p.step, reenters: !p.done, halted: !g.ok,
      landed: writes.filter((k) => this.landed.has(k)), pending: writes.filter((k) => !this.landed.has(k)), previousPid: p.pid ?? null,
    });
    this.resumed++;
    if (!g.ok) run.parked = true;
    else void this.enqueueStep(spec.run_id);
    return run;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.waiting) w.ac.abort(new Error('killdrill: agent worker stopping'));
    if (this.health) clearInterval(this.health);
    if (this.queueSampler) clearInterval(this.queueSampler);
    await this.queue.close();
    await this.phases.settle(2000);
    this.providers.close();
    this.journal.close();
    this.phaseLog.close();
    this.gateway.close();
    this.store.close();
  }

  get gatewayConnected(): boolean {
    return this.gateway.connected;
  }

  /** Every key that puts a run in scope, less the capability (a child is in its parent's run scope too). */
  /**
   * The keys that stop the whole run: the bot keys of its root (the run's own capability, the
   * roster's, included — not a tool's or `llm`, which gate only their calls).
   */
  private runKeys(spec: RunSpec): string[] {
    const capKey = killKey(this.prefix, 'capability', '');
    const k = keysForBot(this.prefix, { slug: spec.slug, fleet: spec.feature, tenant: spec.tenant, group: spec.group as Group, asset: spec.asset, capability: spec.capability ?? '', run: spec.run_id }).filter((x) => x !== capKey);
    // Bug agent-children-after-kill: a child is gated by its own keys only, so its parent's run kill misses it.
    if (spec.parent && !this.bugs.has('agent-children-after-kill')) k.push(killKey(this.prefix, 'run', spec.parent));
    return k;
  }

  private gate = (run: AgentRun, capability: string, _what: string): GateResult => {
    if (this.stopping) return { ok: false, runKilled: true, reason: 'killdrill: agent worker stopping' };
    const now = nowMs();
    let keys = this.runKeys(run.spec);
    if (this.bugs.has('run-scope-at-start')) {
      // Bug run-scope-at-start: the run's own scope (its run key, its parent's) is read once, when the run
      // starts, and kept: a run kill after that is never seen; the tenant, feature and platform keys stay live.
      const own = [killKey(this.prefix, 'run', run.spec.run_id), ...(run.spec.parent ? [killKey(this.prefix, 'run', run.spec.parent)] : [])];
      keys = keys.filter((k) => !own.includes(k));
      if (!this.runScopeAtStart.has(run.spec.run_id)) {
        const o = this.view.evaluate(own, now);
        this.runScopeAtStart.set(run.spec.run_id, o.killed ? o.reason : null);
      }
      const cached = this.runScopeAtStart.get(run.spec.run_id);
      if (cached) return { ok: false, runKilled: true, reason: cached };
    }
    const r = this.view.evaluate(keys, now);
    if (r.killed) return { ok: false, runKilled: true, reason: r.reason };
    // Bug agent-ignores-capability: only `llm` is read; a tool's capability kill is never looked at.
    if (this.bugs.has('agent-ignores-capability') && capability !== LLM_CAPABILITY) return { ok: true };
    const c = this.view.evaluate([killKey(this.prefix, 'capability', capability)], now);
    return c.killed ? { ok: false, runKilled: false, reason: c.reason } : { ok: true };
  };

  /** Aborts every in-flight call and wait in scope of a kill, clears its timers, moves the root runs' phases. */
  private reconcile(): void {
    // Bug agent-awaits-inflight: the calls in flight are left to finish (awaited), not aborted.
    for (const w of this.bugs.has('agent-awaits-inflight') ? [] : this.waiting) {
      const g = this.gate(w.run, w.capability, 'in flight');
      if (!g.ok && !w.ac.signal.aborted) w.ac.abort(new Error(`killdrill: kill switch engaged (${g.reason})`));
    }
    this.reconcileQueue();
    const now = nowMs();
    for (const spec of this.roots) {
      const run = this.runs.get(spec.run_id);
      if (!run) continue;
      const g = this.gate(run, LLM_CAPABILITY, 'phase');
      const cur = this.phase.get(spec.run_id);
      const busy = [...this.waiting].some((w) => w.run.spec.run_id === spec.run_id || w.run.spec.parent === spec.run_id);
      let next: Phase | undefined = cur;
      if (g.ok) next = 'Running';
      else if (cur === 'Running') next = busy ? 'Draining' : 'Stopped';
      else if (cur === 'Draining' && !busy) next = 'Stopped';
      if (next !== cur && next) this.setPhase(spec, cur ?? '', next, g.ok ? (cur ? 'released' : 'boot') : g.reason, now);
    }
  }

  private setPhase(spec: RunSpec, from: Phase | '', to: Phase, reason: string, at: number): void {
    this.phase.set(spec.run_id, to);
    const e = { slug: spec.slug, phase: to, at, from, reason, host: this.host, daemon: this.name, pid: process.pid };
    this.phaseLog.append(e);
    this.phases.push(e);
  }

  /**
   * A task submitted from outside (POST /tasks, e.g. k6's agent-tasks load): a follow-up step of the
   * run, queued as a `timer` job due at once, so the kill covers it as it covers timers (removed under
   * either policy, the gate asked when it fires). Refused (409) while the run's scope is killed or the
   * run is parked: new work is never accepted into a halted run.
   */
  async submit(runId: string): Promise<{ status: 202 | 404 | 409 | 503; body: Record<string, unknown> }> {
    const run = this.runs.get(runId);
    if (!run) return { status: 404, body: { error: `killdrill: no run '${runId}' on this worker; GET /runs lists its runs` } };
    // Bug agent-accepts-tasks-while-halted: the submission path never asks the gate nor looks at the park (the step's own gate still runs when it fires).
    const heeds = !this.bugs.has('agent-accepts-tasks-while-halted');
    const g: GateResult = heeds ? this.gate(run, LLM_CAPABILITY, 'submit') : { ok: true };
    const why = !g.ok ? `its scope is killed (${g.reason})` : run.finished ? 'it has finished' : heeds && run.parked ? 'it is parked until a release' : null;
    if (why) {
      this.submissions.refused++;
      return { status: 409, body: { error: `killdrill: run '${runId}' takes no task: ${why}`, run_id: runId } };
    }
    // Queued before the 202: an accepted task is never lost to a queue that failed to take it.
    // Logged before the add (a job due at once can be taken before the add resolves).
    this.logTask(runId, 'timer', 'enqueued', 0);
    try {
      await this.queue.add('timer', { run_id: runId, submitted: true }, 0);
    } catch (e) {
      this.tasks.add({ at: nowMs(), run_id: runId, kind: 'timer', event: 'removed', policy: 'not-queued' });
      return { status: 503, body: { error: `killdrill: the task for run '${runId}' could not be queued (${(e as Error).message}); send it again`, run_id: runId } };
    }
    this.submissions.accepted++;
    return { status: 202, body: { accepted: true, run_id: runId } };
  }

  private startRun(spec: RunSpec): void {
    const run = this.newRun(spec);
    if (spec.parent) {
      this.logTask(spec.run_id, 'child', 'enqueued', 0, spec.parent);
      void this.queue.spawn(spec.parent, spec.run_id);
    } else void this.enqueueStep(spec.run_id, run.thinkMs());
  }

  private newRun(spec: RunSpec): AgentRun {
    const who = (r: AgentRun) => ({ run_id: r.spec.run_id, slug: r.spec.slug, worker: `${this.host}.${this.name}`, pid: process.pid, at: nowMs() });
    const run = new AgentRun(spec, this.o, rngFor(this.seed, spec.run_id), {
      gate: this.gate,
      llm: (r) => this.call(r, LLM_CAPABILITY, COMPLETIONS_URL, { model: 'sim-model', stream: true, messages: [{ role: 'user', content: `step ${r.steps}` }] }),
      tool: (r, t, slot) => this.toolCall(r, t.name, 1, slot.key),
      spawn: (_p, child) => this.startRun(child),
      timer: (r, ms) => {
        this.timersSet++;
        this.logTask(r.spec.run_id, 'timer', 'enqueued', ms);
        void this.queue.add('timer', { run_id: r.spec.run_id }, ms);
      },
      tools: this.tools,
      began: (r, step, plan, resumed) => this.runJournal.write({ type: 'agent-step', ...who(r), ...(r.spec.parent ? { parent: r.spec.parent } : {}), step, plan, ...(resumed ? { resumed } : {}) }),
      done: (r, step) => this.runJournal.write({ type: 'agent-step-done', ...who(r), step }),
      // Bug resume-reruns-effect: the re-entered step ignores what the journal says landed (LangGraph's resume re-runs the node).
      landed: (key) => !this.bugs.has('resume-reruns-effect') && this.landed.has(key),
      skipped: (r, step, slot) => this.runJournal.write({ type: 'agent-skip', ...who(r), step, slot: slot.slot, key: slot.key ?? '' }),
    });
    this.runs.set(spec.run_id, run);
    return run;
  }

  private enqueueStep(run_id: string, delayMs = 0): Promise<unknown> {
    this.logTask(run_id, 'step', 'enqueued', delayMs);
    return this.queue.add('step', { run_id }, delayMs);
  }

  private logTask(run_id: string, kind: TaskKind, event: 'enqueued' | 'started' | 'skipped', delayMs = 0, parent?: string): void {
    const at = nowMs();
    const spec = this.runs.get(run_id)?.spec;
    const p = parent ?? spec?.parent;
    this.tasks.add({ at, run_id, kind, event, ...(p ? { parent: p } : {}), ...(event === 'enqueued' ? { dueAt: at + Math.round(delayMs) } : {}) });
  }

  /** A job: a step of its run (then the next one is queued), or a timer's follow-up step. */
  private async processTask(task: TaskName, data: TaskData): Promise<void> {
    const run = this.runs.get(data.run_id);
    if (!run || this.stopping) return; // a job of an earlier life of this worker: its run is not here
    if (task === 'fan-in') {
      this.fanIns++; // the child's first step is done: nothing to do but count it
      return;
    }
    const id = run.spec.run_id;
    if (task === 'retry') {
      // A delayed retry meets the kill state when it comes due, like any call.
      // Bug agent-retry-fires-after-kill: it fires without asking (and its call goes out ungated).
      const ungated = this.bugs.has('agent-retry-fires-after-kill');
      if (!data.tool || (!ungated && (run.parked || !this.gate(run, data.tool, 'retry fire').ok))) return this.logTask(id, 'retry', 'skipped');
      this.retriesFired++;
      this.logTask(id, 'retry', 'started');
      await this.toolCall(run, data.tool, data.attempt ?? 2, data.key, ungated);
      return;
    }
    if (task === 'timer') {
      // The kill state at fire time: a timer set before a flip does nothing after it.
      if (run.parked || !this.gate(run, LLM_CAPABILITY, 'timer fire').ok) return this.logTask(id, 'timer', 'skipped');
      if (data.submitted) this.submissions.started++;
      else this.timersFired++;
      this.logTask(id, 'timer', 'started');
      await run.step();
      return;
    }
    // A step (a child's first step is the child job of its flow): its work begins only if the gate lets it.
    if (run.parked || !this.gate(run, LLM_CAPABILITY, 'step').ok) {
      this.logTask(id, 'step', 'skipped');
      if (!run.parked) run.parked = true;
      return;
    }
    this.logTask(id, 'step', 'started');
    if (!(await run.step())) return void (run.parked = true);
    if (run.finished) return;
    if (!this.gate(run, LLM_CAPABILITY, 'enqueue').ok) return void (run.parked = true);
    await this.enqueueStep(id, run.thinkMs());
  }

  /** Runs newly killed: apply the queue policy, cancel their timers. Runs released: resume them. */
  private reconcileQueue(): void {
    const newly: string[] = [];
    const released: AgentRun[] = [];
    for (const run of this.runs.values()) {
      const id = run.spec.run_id;
      const ok = this.gate(run, LLM_CAPABILITY, 'queue').ok;
      if (!ok && !this.killed.has(id)) {
        this.killed.add(id);
        newly.push(id);
      } else if (ok) {
        this.killed.delete(id);
        // Also a run that parked after its release was seen (its step was still running then).
        if (run.parked && !run.finished && !this.resuming.has(id)) released.push(run);
      }
    }
    if (!newly.length && !released.length) return;
    for (const r of released) this.resuming.add(r.spec.run_id);
    this.queueWork = this.queueWork.then(async () => {
      if (newly.length) {
        const inScope = new Set(newly);
        // Bug agent-retry-fires-after-kill: the delayed retries are left on the queue.
        const keepRetries = this.bugs.has('agent-retry-fires-after-kill');
        const mine = (id: string, name: TaskName) => inScope.has(id) && !(keepRetries && name === 'retry');
        const policy = await this.policyFor(newly);
        // Bug agent-discard-drains: the policy says discard, and nothing is removed (the queued work drains).
        const removed = policy === 'discard' && !this.bugs.has('agent-discard-drains') ? await this.queue.discard(mine).catch(() => []) : [];
        for (const l of removed) {
          this.tasks.add({ at: l.at, run_id: l.run_id, kind: taskKind(l.name), event: 'removed', policy: 'discard' });
          if (l.name === 'timer') this.timersCancelled++;
          if (l.name === 'retry') this.retriesCancelled++;
          this.notRun.set(l.run_id, [...(this.notRun.get(l.run_id) ?? []), l]);
          const r = this.runs.get(l.run_id);
          if (r && l.name === 'step') r.parked = true;
        }
        const cancelled = await this.queue.cancelTimers(mine).catch(() => ({ timer: 0, retry: 0, removed: [] }));
        this.timersCancelled += cancelled.timer;
        this.retriesCancelled += cancelled.retry;
        const at = nowMs();
        for (const r of cancelled.removed) this.tasks.add({ at, run_id: r.run_id, kind: r.name, event: 'removed', policy: 'timers' });
        // The policy is applied: from here no job of these runs is queued (discard) or enqueued (either).
        for (const id of newly) this.tasks.add({ at, run_id: id, kind: 'step', event: 'policy', policy });
        this.discards.push({ at, runs: newly, policy, removed: removed.length });
      }
      for (const run of released) {
        this.resuming.delete(run.spec.run_id);
        if (!run.parked || this.killed.has(run.spec.run_id)) continue;
        run.parked = false;
        const lines = this.notRun.get(run.spec.run_id) ?? [];
        this.notRun.delete(run.spec.run_id);
        // Resume: what the discard removed (its journal), or the next step the drain did not queue.
        if (lines.some((l) => l.name === 'step')) {
          for (const l of lines) if (l.name === 'step') this.logTask(l.run_id, 'step', 'enqueued');
          await this.queue.resume(lines);
        } else await this.enqueueStep(run.spec.run_id);
      }
    });
  }

  /** The engaged keys' queue policy: `drain` only if every engaged key in scope says so; else (and when unreadable) `discard`. */
  private async policyFor(runIds: string[]): Promise<QueuePolicy> {
    const keys = [...new Set(runIds.flatMap((id) => (this.runs.get(id) ? [...this.runKeys(this.runs.get(id)!.spec), killKey(this.prefix, 'capability', LLM_CAPABILITY)] : [])))];
    try {
      const values = (await this.store.poller.mget(keys)).filter((v): v is string => !!v);
      if (!values.length) return 'discard';
      return values.every((v) => queuePolicyOf(v) === 'drain') ? 'drain' : 'discard';
    } catch {
      return 'discard';
    }
  }

  /** An LLM call: retried in-process after a backoff wait that a kill in scope aborts. */
  private async call(run: AgentRun, capability: string, url: string, body: unknown): Promise<CallOutcome> {
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      const a = await this.attempt(run, capability, url, body, attempt);
      if (a.outcome !== 'retry') return a.outcome;
      if (attempt === this.o.maxAttempts) break;
      // The backoff before a retry is a timer set before any flip: a kill cancels it.
      const b = this.track(run, capability);
      const waited = await abortableSleep(a.delayMs, b.ac.signal);
      this.untrack(b);
      if (!waited) return 'killed';
    }
    return 'failed';
  }

  /** A tool call: a failed attempt is retried later by a delayed `retry` job (the step goes on). */
  private async toolCall(run: AgentRun, tool: string, attempt: number, key?: string, ungated = false): Promise<CallOutcome> {
    const a = await this.attempt(run, tool, toolUrl(tool), { run: run.spec.run_id, step: run.steps, attempt }, attempt, key, ungated);
    if (a.outcome !== 'retry') return a.outcome;
    if (attempt >= this.o.maxAttempts) return 'failed';
    if (!this.gate(run, tool, 'enqueue retry').ok) return 'killed';
    this.retriesSet++;
    this.logTask(run.spec.run_id, 'retry', 'enqueued', a.delayMs);
    await this.queue.add('retry', { run_id: run.spec.run_id, tool, attempt: attempt + 1, ...(key ? { key } : {}) }, a.delayMs);
    return 'failed';
  }

  /** One attempt, gated first; 'retry' for a 429 (its retry-after), a 500 or a timeout, with the backoff to wait. */
  private async attempt(run: AgentRun, capability: string, url: string, body: unknown, attempt: number, key?: string, ungated = false): Promise<{ outcome: CallOutcome | 'retry'; delayMs: number }> {
    if (!ungated && !this.gate(run, capability, 'call').ok) return { outcome: 'killed', delayMs: 0 };
    const rng = rngFor(this.seed, `${run.spec.run_id}:${run.steps}:${capability}:${attempt}`);
    let delayMs = this.o.backoffMs * 2 ** (attempt - 1) * (1 + rng());
    const w = this.track(run, capability);
    try {
      const signal = AbortSignal.any([w.ac.signal, AbortSignal.timeout(this.o.callTimeoutMs)]);
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [RUN_HEADER]: run.spec.run_id, ...(key ? { [KEY_HEADER]: key } : {}) }, body: JSON.stringify(body), signal });
      await r.text(); // a completion's whole stream: an abort mid-stream rejects here
      if (r.ok) return { outcome: 'done', delayMs: 0 };
      if (r.status !== 429 && r.status < 500) return { outcome: 'failed', delayMs: 0 };
      const ra = Number(r.headers.get('retry-after'));
      if (r.status === 429 && Number.isFinite(ra) && ra > 0) delayMs = ra * 1000;
    } catch {
      if (w.ac.signal.aborted) return { outcome: 'killed', delayMs: 0 };
      // a timeout (a stalled provider) or a broken stream: retried like a 500
    } finally {
      this.untrack(w);
    }
    return { outcome: 'retry', delayMs };
  }

  private track(run: AgentRun, capability: string): Waiter {
    const w = { run, capability, ac: new AbortController() };
    this.waiting.add(w);
    return w;
  }

  private untrack(w: Waiter): void {
    this.waiting.delete(w);
    if (this.phase.get(w.run.spec.parent ?? w.run.spec.run_id) === 'Draining') this.reconcile();
  }

  /** An ended call into the run journal (the timeline's bars). */
  private journalCall(rec: CallRecord): void {
    const spec = this.runs.get(rec.run_id)?.spec;
    if (!spec || rec.endedAt === null) return;
    this.runJournal.write({
      type: 'agent-call', run_id: rec.run_id, slug: spec.slug, ...(spec.parent ? { parent: spec.parent } : {}), worker: `${this.host}.${this.name}`, pid: process.pid, at: rec.endedAt,
      id: rec.id, kind: rec.kind, name: rec.name, ...(rec.access ? { access: rec.access } : {}), status: rec.status, startedAt: rec.startedAt, endedAt: rec.endedAt, aborted: rec.aborted, abortedAt: rec.abortedAt,
    });
  }

  /** A write tool's side effect through the execution boundary: the kill state first, the journal around it. */
  private async dispatch(call: CallRecord, key: string): Promise<boolean> {
    const run = this.runs.get(call.run_id);
    if (!run || !this.gate(run, call.capability, 'effect').ok) return false;
    return this.once.dispatch(key, () => this.send(run, call, key), this.bugs.has('resume-reruns-effect'));
  }

  private async send(run: AgentRun, call: CallRecord, key: string): Promise<boolean> {
    const s = run.spec;
    const at = nowMs();
    this.journal.intent(key, s.slug, 'action', at);
    // Bug agent-children-after-kill: the child's lineage is lost, so the boundary does not see its parent's run kill either.
    const parentRun = s.parent && !this.bugs.has('agent-children-after-kill') ? { parentRun: s.parent } : {};
    const r = await this.gateway.request({ key, bot: s.slug, fleet: s.feature, tenant: s.tenant, group: s.group, asset: s.asset, capability: call.capability, run: s.run_id, ...parentRun, kind: 'action', dispatchedAt: at });
    const t = nowMs();
    if (r.ok && r.reply.ok === true) {
      this.journal.outcome(key, s.slug, 'landed', t, r.reply.seq as number);
      this.landed.add(key);
      return true;
    }
    if (r.ok) this.journal.outcome(key, s.slug, 'rejected', t);
    else if (!r.sent) this.journal.outcome(key, s.slug, 'failed', t);
    // else lost in flight: it may have landed; the journal leaves it open
    return false;
  }
}

/** A kill value's `queue` field (`{mode, reason, queue}`); absent or not JSON: discard (seed 004: most stops want it). */
export function queuePolicyOf(raw: string): QueuePolicy {
  if (!raw.startsWith('{')) return 'discard';
  try {
    return (JSON.parse(raw) as { queue?: unknown }).queue === 'drain' ? 'drain' : 'discard';
  } catch {
    return 'discard';
  }
}

function taskKind(name: TaskName): TaskKind {
  return name === 'fan-in' ? 'child' : name;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => resolve(true), ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve(false)), { once: true });
  });
}
