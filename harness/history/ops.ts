// History ops (docs/contracts.md §9). Every op has `t` (harness clock when recorded) and `type`.
// Times named `at`, `dispatchedAt`, `receivedAt`, `intentAt` are the fleet's, on the same clock.
import type { RosterBot } from '../runner/in-scope.ts';
import type { RateProfile } from '../load/profile.ts';
import type { FromPeak } from '../load/peak.ts';
import type { BreakerName } from '../../contracts/index.ts';

export type LeverName = 'kill' | 'release';
export type Outcome = 'passed' | 'failed' | 'errored' | 'interrupted';

interface Base {
  t: number;
}

export interface RunStartOp extends Base { type: 'run-start'; runId: string; scenario: string; case: string; seed: number; config: Record<string, unknown> }
export interface RosterOp extends Base { type: 'roster'; bots: RosterBot[] }
/** Bots that joined during the case (a scale-out fault's replica), read from GET /bots after the observers stopped. */
export interface RosterAddedOp extends Base { type: 'roster-added'; at: number; bots: RosterBot[] }
export interface LeverIssuedOp extends Base { type: 'lever-issued'; lever: LeverName; path: string; scope: string; target: string; mode: string; level?: number; asset?: string; at: number; detail?: unknown }
export interface LeverAckOp extends Base { type: 'lever-ack'; lever: LeverName; ok: boolean; detail: unknown; at: number }
export interface LeverEngagedOp extends Base { type: 'lever-engaged'; lever: LeverName; at: number; detail?: unknown }
export interface LeverFailedOp extends Base { type: 'lever-failed'; lever: LeverName; error: string; at: number }
interface FaultFields extends Base { id: string; kind: string; params: Record<string, unknown>; at: number; ok?: boolean; error?: string; detail?: unknown }
export interface FaultInjectedOp extends FaultFields { type: 'fault-injected' }
export interface FaultHealedOp extends FaultFields { type: 'fault-healed' }
export type FaultOp = FaultInjectedOp | FaultHealedOp;
export interface PhaseOp extends Base { type: 'phase'; slug: string; phase: string; at: number; from: string | null; reason: string | null; host: string; daemon: string }
export interface EffectOp extends Base { type: 'effect'; seq: number; key: string; bot: string; kind: string; dispatchedAt: number; receivedAt: number }
export interface DaemonOp extends Base { type: 'daemon'; host: string; daemon: string; event: 'start' | 'exit'; pid: number; code?: number | null; signal?: string | null; at: number }
export interface ClaimOp extends Base { type: 'claim'; source: 'broker'; action: string; host: string; daemon: string; ok: boolean; at: number }
/** `at`: when the answer came; `requestedAt`: when the GET was sent (the answer shows a state from between the two). */
export interface StatusOkOp extends Base { type: 'status'; ok: true; haltLevel: number; incident: { id: string; level?: number } | null; engaged: string[]; bootId: string; at: number; requestedAt?: number }
export interface StatusDownOp extends Base { type: 'status'; ok: false; error: string; at: number }
export type StatusOp = StatusOkOp | StatusDownOp;
export interface JournalOp extends Base { type: 'journal'; bot: string; key: string; kind: string; intentAt: number | null; outcome: 'landed' | 'rejected' | 'failed' | null; seq: number | null; /** Later intents under the same key (retries), when there were any. */ reintentsAt?: number[] }
/** A daemon's shutdown-gate record from its journal (docs/contracts.md §6), read with the journal after the run. */
export interface ShutdownOp extends Base { type: 'shutdown'; event: 'shutdown-requested' | 'drained' | 'drain-timeout'; /** 'gateway': the execution boundary's gate, not a bot daemon's. */ component?: 'gateway'; at: number; host: string; daemon: string; pid: number; bootId: string; reason?: string; inFlight?: number; waitedMs?: number; refused?: number; abandoned?: string[] }
/**
 * A bot's circuit-breaker transition (seed 003, docs/contracts.md §6): its daemon's journal line, read
 * with the journal after the run; `at` is the daemon's clock. `error`: the breaker could not evaluate.
 */
export interface BreakerOp extends Base { type: 'breaker'; bot: string; asset: string; breaker: BreakerName; event: 'tripped' | 'reset' | 'error'; at: number; detail: string; ratio?: number; lastBarAt?: number | null; losses?: number; host: string; daemon: string; pid: number }
/** The journals were read (over the broker's GET /journal, after the observers stopped; absent = journal-consistent cannot judge). */
export interface JournalReadOp extends Base { type: 'journal-read'; intents: number; files: number }
/** The observers took their last look (ledger flushed); anything later was not observed. */
export interface ObserversStoppedOp extends Base { type: 'observers-stopped'; at: number; ledgerSeq?: number }
/** An observer could not read its source from `from` to `to` (recovered: a later read caught up; else the data from `from` on is lost). */
export interface ObserverFailedOp extends Base { type: 'observer-failed'; source: string; error: string; from: number; to: number; recovered: boolean; failures?: number }
/** The runner judged the history so far and the case's verdict could no longer change: it stopped watching (harness/checkers/decided.ts). */
export interface CaseDecidedOp extends Base { type: 'case-decided'; at: number; stage: string; outcome: 'failed' | 'passed'; reason: string; by: Array<{ checker: string; valid: boolean | 'unknown'; summary: string }>; heldMs: number }
/** load.duration, the hard cap of the case, ran out during a watch. */
export interface DurationReachedOp extends Base { type: 'duration-reached'; at: number; stage: string; durationMs: number }
/** A stop condition (`run --max-case-duration`, `--stop-on-no-restart`, `--guard`…) held: the case ends interrupted. */
export interface StopConditionOp extends Base { type: 'stop-condition'; at: number; reason: string }
/** The kill lever failed and the scenario's kill.fallback path is pulled next (the runbook's fallback): from here on the kill is the fallback's lever. */
export interface LeverFallbackOp extends Base { type: 'lever-fallback'; at: number; from: string; to: string; reason: string }
/** k6 was started (harness/load/run-k6.ts): the script, its rate profile (harness/load/profile.ts), thresholds. */
export interface LoadStartOp extends Base { type: 'load-start'; at: number; tool: 'k6'; script: string; profile: RateProfile; fromPeak?: FromPeak; thresholds: Record<string, string[]>; pid: number | null; args: string[] }
/** k6's first request was sent: its executor's start, where the rate profile's time 0 is. */
export interface LoadRunningOp extends Base { type: 'load-running'; at: number }
/** One second of k6's requests, counted in the second each was sent (harness/load/k6-seconds.ts). */
export interface LoadSecondOp extends Base { type: 'load'; at: number; spanMs: number; requests: number; requestsPerS: number; errors: number; errorsPerS: number; p50Ms: number | null; p99Ms: number | null; dropped: number }
/** k6 ended: stopped by the harness at the end of the case or on abort, or by itself (died, script error). */
export interface LoadEndOp extends Base { type: 'load-end'; at: number; stoppedBy: 'harness' | 'itself'; exitCode: number | null; signal: string | null; thresholdsCrossed: string[]; summaryMissing?: boolean; late: number; error?: string }
/** The agent workers' control APIs were read for this run (docs/agents.md "What the harness records"). */
export interface AgentsObservedOp extends Base { type: 'agents-observed'; at: number; workers: string[] }
/**
 * One provider call of an agent worker (GET /calls): finished, or still open at the observers'
 * last look (`endedAt` null, `open: true`). `name` is the model or the tool; `access` read | write (tools).
 */
export interface AgentCallOp extends Base { type: 'agent-call'; worker: string; id: string; run: string; kind: 'llm' | 'tool'; name: string; capability: string; access?: 'read' | 'write'; status: number | string; startedAt: number; endedAt: number | null; aborted: boolean; abortedAt: number | null; effectKey?: string; open?: boolean }
/** One line of an agent worker's task log (GET /tasks): a step, timer, retry or child enqueued, started, skipped, removed, or a run's queue policy applied. */
export interface AgentTaskOp extends Base { type: 'agent-task'; worker: string; seq: number; at: number; run: string; kind: 'step' | 'timer' | 'retry' | 'child'; event: 'enqueued' | 'started' | 'skipped' | 'removed' | 'policy'; parent?: string; dueAt?: number; policy?: string }
/**
 * The agent workers' queues (GET /queue) at `label`: `T+0` (the kill confirmed), then `T+60s`, or
 * `before-release` / `case-end` when that came first. `byRun`: jobs not done by run and state; `notRun`: jobs journaled as not run.
 */
export interface AgentQueueOp extends Base { type: 'agent-queue'; at: number; label: 'T+0' | 'T+60s' | 'before-release' | 'case-end'; sinceKillMs: number; workers: Array<{ worker: string; ok: true; counts: Record<string, number>; byRun: Record<string, Record<string, number>>; notRun: number } | { worker: string; ok: false; error: string }> }
export interface RunEndOp extends Base { type: 'run-end'; outcome: Outcome; reason?: string }
/** Ops the checkers do not read (fleet-up, …). */
export interface OtherOp extends Base { type: string; [k: string]: unknown }

export type Op =
  | RunStartOp | RosterOp | RosterAddedOp | LeverIssuedOp | LeverAckOp | LeverEngagedOp | LeverFailedOp | FaultInjectedOp | FaultHealedOp | PhaseOp | EffectOp
  | DaemonOp | ClaimOp | StatusOp | JournalOp | ShutdownOp | BreakerOp | JournalReadOp | ObserversStoppedOp | RunEndOp
  | ObserverFailedOp | CaseDecidedOp | DurationReachedOp | StopConditionOp | LeverFallbackOp
  | LoadStartOp | LoadRunningOp | LoadSecondOp | LoadEndOp
  | AgentsObservedOp | AgentCallOp | AgentTaskOp | AgentQueueOp;

/** An op as handed to the recorder: everything but `t`. */
export type OpInput = { type: string } & Record<string, unknown>;

/** The venue's account of an order-book effect (docs/contracts.md §5), on `effect` ops when the venue gives it. */
/** `orderType` is the request's `type` (limit | market), renamed: `type` is the op's. */
export interface EffectBookFields { side?: string; qty?: number; orderKey?: string; orderType?: string; book?: 'rests' | 'fill' | 'cancelled' | 'not-open' | string; price?: number }
export interface VenueOrder { seq: number; key: string; bot: string; side: string | null; qty: number }
/** The venue's own book (GET /orders?open=1, GET /positions), in-scope bots only, read once every in-scope bot was Stopped. */
export interface VenueBookOkOp extends Base { type: 'venue-book'; ok: true; at: number; bots: string[]; ordersSeq: number; positionsSeq: number; orders: VenueOrder[]; positions: Array<{ bot: string; net: number }> }
export interface VenueBookFailedOp extends Base { type: 'venue-book'; ok: false; at: number; error: string }
export type VenueBookOp = VenueBookOkOp | VenueBookFailedOp;
