// One agent run (issue 14 item 2): steps of an LLM call, then tool calls from the catalog,
// sometimes a child run (fan-out), sometimes a timer (a follow-up step at a future time); the
// worker runs each step as a job and queues the next one. Every LLM call, tool call, child
// spawn, timer set, timer fire and enqueue asks the worker's gate first; the gate
// reads the live kill view (never a value cached at run start) and fails closed. A kill of
// the run's scope parks the run until release; a kill of one tool's capability only skips
// that tool, the rest of the run goes on.
import type { Rng } from '../daemon/prng.ts';
import type { ToolSpec } from './providers.ts';
import { slotKey, type PlanSlot } from './run-journal.ts';

export interface RunSpec {
  run_id: string;
  /** The agent's slug (the ledger's `bot`). */
  slug: string;
  tenant: string;
  /** The feature the run belongs to: kill scope `fleet` (tenant/feature, seed 004). */
  feature: string;
  group: string;
  asset: string;
  /** The run's own capability (the roster's, e.g. `support-agent`): its kill stops the whole run, like a run kill. */
  capability?: string;
  /** A child's parent run: the child is in its parent's run scope too. */
  parent?: string;
}

export interface RunOptions {
  thinkMs: number;
  toolsPerStep: number;
  /** Relative weights by tool name (absent: 0). */
  toolWeights: Record<string, number>;
  childRate: number;
  maxChildren: number;
  /** Steps a child run makes before it ends. */
  childSteps: number;
  timerRate: number;
  timerMs: number;
}

export type CallOutcome = 'done' | 'killed' | 'failed';
export type GateResult = { ok: true } | { ok: false; runKilled: boolean; reason: string };

export interface RunDeps {
  /** The kill state for this run and capability, now. */
  gate: (run: AgentRun, capability: string, what: string) => GateResult;
  llm: (run: AgentRun) => Promise<CallOutcome>;
  tool: (run: AgentRun, tool: ToolSpec, slot: PlanSlot) => Promise<CallOutcome>;
  spawn: (parent: AgentRun, child: RunSpec) => void;
  /** Sets a follow-up (a delayed `timer` job): a step of this run `ms` from now. */
  timer: (run: AgentRun, ms: number) => void;
  tools: readonly ToolSpec[];
  /** A step begins (journaled before its first call), re-entered or new. */
  began: (run: AgentRun, step: number, plan: PlanSlot[], resumed: boolean) => void;
  /** The step ran to its end. */
  done: (run: AgentRun, step: number) => void;
  /** A planned write's key already landed (a re-entered step skips it). */
  landed: (key: string) => boolean;
  skipped: (run: AgentRun, step: number, slot: PlanSlot) => void;
}

export class AgentRun {
  readonly spec: RunSpec;
  private readonly o: RunOptions;
  private readonly rng: Rng;
  private readonly d: RunDeps;
  /** Children spawned so far (a resumed run counts those its journal names). */
  children = 0;
  steps = 0;
  /** A step to re-enter with its plan: interrupted by a kill of its scope, or adopted from the journal. */
  pending: { step: number; plan: PlanSlot[] } | null = null;
  /** Its scope was killed: no step of it is queued; release resumes it. */
  parked = false;

  constructor(spec: RunSpec, o: RunOptions, rng: Rng, deps: RunDeps) {
    this.spec = spec;
    this.o = o;
    this.rng = rng;
    this.d = deps;
  }

  /** Child ids are fixed in advance (`<run>.c<i>`), so the worker knows every kill key at boot. */
  static childIds(run_id: string, maxChildren: number): string[] {
    return Array.from({ length: maxChildren }, (_, i) => `${run_id}.c${i + 1}`);
  }

  /** A child ends after childSteps; a root run never does. */
  get finished(): boolean {
    return this.spec.parent !== undefined && this.steps >= this.o.childSteps;
  }

  /** The think time before the next step. */
  thinkMs(): number {
    return this.o.thinkMs * (0.5 + this.rng());
  }

  /**
   * One step; false when the run's scope is killed (the caller parks it, and the step is left to
   * re-enter). A re-entered step keeps its plan and skips the writes whose key landed.
   */
  async step(): Promise<boolean> {
    if (!this.d.gate(this, 'llm', 'llm call').ok) return false;
    const resumed = this.pending;
    this.pending = null;
    const step = resumed ? resumed.step : this.steps + 1;
    this.steps = step;
    const plan = resumed ? resumed.plan : this.plan(step);
    this.d.began(this, step, plan, resumed !== null);
    const interrupted = (): false => {
      this.pending = { step, plan };
      return false;
    };
    const llm = await this.d.llm(this);
    if (llm === 'killed') return interrupted();
    if (llm === 'failed') return this.end(step);
    for (const slot of plan) {
      const tool = this.d.tools.find((t) => t.name === slot.tool);
      if (!tool) continue;
      if (slot.key && resumed && this.d.landed(slot.key)) {
        this.d.skipped(this, step, slot);
        continue;
      }
      const g = this.d.gate(this, tool.name, `tool call ${tool.name}`);
      if (!g.ok) {
        if (g.runKilled) return interrupted();
        continue; // the tool's capability is frozen: the reads go on
      }
      if ((await this.d.tool(this, tool, slot)) === 'killed' && !this.d.gate(this, 'llm', 'after a killed tool call').ok) return interrupted();
    }
    if (!this.spec.parent && this.children < this.o.maxChildren && this.rng() < this.o.childRate) {
      const child = AgentRun.childIds(this.spec.run_id, this.o.maxChildren)[this.children];
      const spec: RunSpec = { ...this.spec, run_id: child, parent: this.spec.run_id };
      // The parent's scope (the child's run key is not engaged before it exists) must be clear.
      if (!this.d.gate(this, 'llm', `spawn ${child}`).ok) return false;
      this.children++;
      this.d.spawn(this, spec);
    }
    if (this.rng() < this.o.timerRate) {
      if (!this.d.gate(this, 'llm', 'set timer').ok) return false;
      this.d.timer(this, this.o.timerMs);
    }
    return this.end(step);
  }

  private end(step: number): true {
    this.d.done(this, step);
    return true;
  }

  /** The step's tool calls, drawn up front: each a slot, a write with its idempotency key. */
  private plan(step: number): PlanSlot[] {
    const plan: PlanSlot[] = [];
    for (let i = 1; i <= this.o.toolsPerStep; i++) {
      const tool = this.pickTool();
      if (!tool) break;
      const slot = `${step}.${i}`;
      plan.push({ slot, tool: tool.name, access: tool.access, ...(tool.access === 'write' ? { key: slotKey(this.spec.run_id, slot) } : {}) });
    }
    return plan;
  }

  private pickTool(): ToolSpec | null {
    const weighted = this.d.tools.map((t) => [t, this.o.toolWeights[t.name] ?? 0] as const).filter(([, w]) => w > 0);
    const total = weighted.reduce((s, [, w]) => s + w, 0);
    if (total <= 0) return null;
    let x = this.rng() * total;
    for (const [t, w] of weighted) if ((x -= w) < 0) return t;
    return weighted[weighted.length - 1][0];
  }
}
