// The timeline interpreter: fleet up → warm-up under load → faults → lever → observe until every
// in-scope bot stopped, the budget ran out, the case was decided (early-end.ts) or load.duration
// ran out → release → verify restart → heal → last look → journal (over the wire) → fleet down. Heal and stop also on error and SIGINT.
import { nowMs, DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import { InfraError, readsOf, publicEndpoints, secretsOf, type AnyRuntime, type FleetHandle, type TargetEndpoints } from '../runtime/index.ts';
import { killPathByName, type LeverEvent } from '../kill-paths/index.ts';
import { faultByKind, componentsOf } from '../faults/index.ts';
import { getJson } from '../../lib/http.ts';
import { leverReason } from '../kill-paths/run-marks.ts';
import type { Decision } from '../checkers/decided.ts';
import { startObservers, type Observers } from './observers.ts';
import { LEDGER_BACKLOG_TIMEOUT_MS, waitForBacklog } from './observe-ledger.ts';
import { scheduleFaults, type FaultSchedule } from './fault-schedule.ts';
import { earlyEnd } from './early-end.ts';
import { observeVenueBook } from './observe-venue-book.ts';
import { inScopeBots, type RosterBot } from './in-scope.ts';
import { readJournal } from './read-journal.ts';
import { readRosterAdded } from './roster-added.ts';
import type { RunPlan } from './plan.ts';
import type { Emit } from './emit.ts';
import type { Progress } from './progress.ts';
import type { CaseStop, StopCondition } from './stop-conditions.ts';
import { findK6, NO_K6 } from '../load/find-k6.ts';
import { startK6, type LoadRun } from '../load/run-k6.ts';
import { dirname } from 'node:path';

/** k6 holds its rate this long past load.duration, so it ends by itself if the harness is gone (SIGKILL). */
const K6_HOLD_PAST_DURATION_MS = 30_000;
/** How long k6 may take from its start to its first request. */
const K6_START_TIMEOUT_MS = 30_000;
import { preflight, PreflightInputError, type PreflightPass } from './preflight.ts';
import { agentKillProblem, readCapabilities } from './agent-kill-check.ts';
import { readHostDaemons } from './preflight-target.ts';

export interface CaseContext {
  runId: string;
  dataDir: string;
  /** The case's run directory (k6's bundle, output and summary go there); default: dataDir's parent. */
  runDir?: string;
  runtime: AnyRuntime;
  emit: Emit;
  progress: Progress;
  signal: AbortSignal;
  portBlock?: { index: number; of: number };
  /** Judge the history so far (run-scenario.ts); absent with --observe-full: watch every budget out. */
  judgeSoFar?: () => Decision | null;
  /** Stop conditions (`run --max-case-duration`, `--guard`…): checked in every wait; one that holds ends the case interrupted. */
  stop?: StopCondition & Partial<Pick<CaseStop, 'attach'>>;
  /** `run --stop-on-no-restart`: bots not Running again within the restart budget end the case interrupted, named. */
  stopOnNoRestart?: boolean;
  /** A sequence's later leg (run-sequence.ts): the fleet traded before this case, like an external target. */
  fleetRanBefore?: boolean;
  /** `run --max-clock-offset`: how far the target's clock may be from the harness's (preflight.ts; default 250 ms). */
  maxClockOffsetMs?: number;
}

export interface CaseRun {
  /** `completed`: the timeline ran to its end (or was decided early) and the history can be judged. */
  status: 'completed' | 'errored' | 'interrupted';
  reason?: string;
  inScope: string[];
  /** The fleet's tokens: reports must keep them out of every file they write. */
  secrets: string[];
}

class Interrupted extends Error {}
/** A stop condition held: the case ends `interrupted` with this message as its reason. */
class Stopped extends Error {}

export async function runCase(plan: RunPlan, ctx: CaseContext): Promise<CaseRun> {
  const { progress, signal } = ctx;
  /** Preflight passed: the run's lease on the target, which follows every op (what is left behind if the harness dies). */
  let pf: PreflightPass | null = null;
  const emit: Emit = (op) => {
    pf?.see(op);
    ctx.emit(op);
  };
  const keyPrefix = (plan.fleet.overrides.keyPrefix as string | undefined) ?? DEFAULT_KEY_PREFIX;
  let fleet: FleetHandle<TargetEndpoints> | null = null;
  let observers: Observers | null = null;
  let faults: FaultSchedule | null = null;
  let load: LoadRun | null = null;
  const timers: NodeJS.Timeout[] = [];
  let inScope: string[] = [];
  let rosterAtStart: RosterBot[] = [];
  const secrets: string[] = [];
  /** The kill this run pulled and has not released: an abort releases it (issue 12 item 3). */
  let pulled: { release: () => Promise<void> } | null = null;
  let completed = false;

  const sleepUntil = async (t: number) => {
    while (nowMs() < t) {
      if (signal.aborted) throw new Interrupted();
      const stopReason = ctx.stop?.reason();
      if (stopReason) throw new Stopped(stopReason);
      if (fleet?.exited()) throw new InfraError(`killdrill: ${fleet.exited()}`);
      const faultError = faults?.error();
      if (faultError) throw new InfraError(faultError);
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, t - nowMs()))));
    }
  };

  try {
    progress.update({ phase: 'starting', elapsedMs: 0, running: 0, draining: 0, stopped: 0, effectsPerS: 0 });
    // load.k6 needs k6: found before the fleet starts, never skipped (exit 3 with how to install it).
    const k6 = plan.load?.k6 ? findK6() : null;
    if (plan.load?.k6 && !k6) throw new InfraError(NO_K6);
    fleet = await startFleet(plan, ctx);
    const ep = fleet.endpoints;
    secrets.push(...secretsOf(ep));
    ctx.stop?.attach?.({ redisUrl: ep.redisUrl });
    const reads = readsOf(ep);
    emit({ type: 'fleet-up', endpoints: publicEndpoints(ep), at: nowMs() });
    // load.k6: k6 drives the control plane from before the warm-up until the case ends (docs/load.md);
    // the timeline (warm-up, faults, lever) starts once it sends, so a slow k6 start cannot eat the warm-up.
    if (plan.load?.k6 && k6) {
      if (!ep.brokerUrl) throw new InfraError(`killdrill: ${plan.file}: load.k6 drives the broker API and the target names no broker URL; name it in the target file, or drop load.k6`);
      const agentUrls = Object.values(ep.agents ?? {});
      const env: Record<string, string> = { BROKER_URL: ep.brokerUrl, BROKER_TOKEN: ep.token ?? '', KILLDRILL_RUN_ID: ctx.runId, ...(ep.venueUrl ? { VENUE_URL: ep.venueUrl } : {}), ...(agentUrls.length ? { AGENT_URLS: agentUrls.join(',') } : {}) };
      const run = (load = await startK6({ plan: plan.load.k6, k6, runDir: ctx.runDir ?? dirname(ctx.dataDir), holdMs: plan.maxDurationMs + K6_HOLD_PAST_DURATION_MS, env, emit }));
      let wait: NodeJS.Timeout | undefined;
      const sent = await Promise.race([run.sending, new Promise<null>((r) => (wait = setTimeout(() => r(null), K6_START_TIMEOUT_MS)))]);
      clearTimeout(wait);
      if (signal.aborted) throw new Interrupted();
      if (sent === false) throw new InfraError(`killdrill: k6 exited before it sent a request: ${run.exited()}; see k6.log in the run directory`);
      if (sent === null) throw new InfraError(`killdrill: k6 sent no request within ${K6_START_TIMEOUT_MS / 1000} s of its start; see k6.log in the run directory`);
    }

    // Roster: bots and their daemons' tags (for level scopes): the hosts' /daemons, else the bot list's own tags.
    const bots = await getJson<RosterBot[]>(reads.bots.url, { ...(reads.bots.token !== undefined ? { token: reads.bots.token } : {}) });
    const { tags, checks: hostChecks } = await readHostDaemons(ep);
    const untagged = levelNeedsTags(plan.kill, bots, tags);
    if (untagged) throw new InputError(`killdrill: ${plan.file}: ${untagged}`);
    const roster = bots.map((b) => ({ ...b, tags: tags.get(`${b.host}/${b.daemon}`) ?? b.tags ?? [] }));
    rosterAtStart = roster;
    emit({ type: 'roster', bots: roster.map(({ slug, host, daemon, fleet, tenant, group, class: cls, asset, capability, run, tags }) => ({ slug, host, daemon, fleet, tenant, group, class: cls, asset, capability, run, tags })) });
    inScope = inScopeBots(roster, plan.kill).map((b) => b.slug);
    // A tool's capability (`capability:place-order`) is no bot's: on an agent fleet it freezes that tool's calls
    // in every run while the runs go on (capability-scope judges it; the bot checkers have no bot to judge).
    const toolKill = plan.kill.scope === 'capability' && !!ep.agents && Object.keys(ep.agents).length > 0;
    if (inScope.length === 0 && !toolKill) throw new InfraError(`killdrill: the kill (${plan.kill.scope}:${plan.kill.target}) matches no bot of this fleet; check kill.target against the preset's bots`);
    if (toolKill || plan.kill.queue !== undefined) {
      const problem = agentKillProblem(plan.kill, inScope.length, new Set(roster.map((b) => b.capability).filter((c): c is string => !!c)), await readCapabilities(ep.agents));
      if (problem) throw new InputError(`killdrill: ${plan.file}: ${problem}`);
    }

    // Preflight: a dead run's levers and faults cleared; endpoints, bots Running, nothing engaged, the clock; the lease.
    try {
      pf = await preflight({ ep, keyPrefix, runId: ctx.runId, scenario: plan.scenarioName, caseId: plan.caseId, faults: plan.faults, bots: roster, inScope, restartBudgetMs: plan.restartBudgetMs, hostChecks, ...(ctx.maxClockOffsetMs !== undefined ? { maxClockOffsetMs: ctx.maxClockOffsetMs } : {}), emit });
    } catch (err) {
      throw err instanceof PreflightInputError ? new InputError(err.message) : err;
    }
    // Observers: the history's sources.
    const obs = (observers = startObservers(ep, keyPrefix, emit));
    // A target that traded before this case (external, or a sequence's later leg) has a ledger backlog: the
    // warm-up counts only effects after it, so the timeline starts once the ledger observer has read it.
    if (ep.external || ctx.fleetRanBefore) await waitForBacklog(obs.ledger, LEDGER_BACKLOG_TIMEOUT_MS, sleepUntil);

    // The timeline (warm-up, faults, lever) runs from here: a preflight that waited (a dead run's lever cleared) takes none of it.
    const t0 = nowMs();
    // load.duration: the hard cap of the case, from the load's start.
    const capAt = t0 + plan.maxDurationMs;

    // Progress line.
    let lastCount = 0;
    let lastAt = nowMs();
    let stage = 'warm-up';
    const progressTimer = setInterval(() => {
      const counts = { Running: 0, Draining: 0, Stopped: 0 } as Record<string, number>;
      for (const p of obs.phases.phases.values()) counts[p] = (counts[p] ?? 0) + 1;
      const now = nowMs();
      const rate = ((obs.ledger.count() - lastCount) * 1000) / Math.max(1, now - lastAt);
      lastCount = obs.ledger.count();
      lastAt = now;
      progress.update({ phase: stage, elapsedMs: now - t0, running: counts.Running, draining: counts.Draining, stopped: counts.Stopped, effectsPerS: rate });
    }, 500);
    timers.push(progressTimer as unknown as NodeJS.Timeout);

    // Faults at their times (checked against the fleet's components before the lever).
    const components = await componentsOf(ep);
    for (const f of plan.faults) {
      const problem = faultByKind(f.kind).check(f.params, components, keyPrefix, rosterAtStart);
      if (problem) throw new InputError(`killdrill: ${plan.file}: fault '${f.kind}' (${f.id}): ${problem}`);
    }
    faults = scheduleFaults(plan.faults, t0, { fleet: ep, components, keyPrefix }, emit);

    // load.warmup: the fleet must be under load before the lever, or the kill proves nothing.
    await sleepUntil(t0 + plan.warmupMs);
    emit({ type: 'warmup-ended', at: nowMs(), effects: obs.ledger.count() });
    // An external target (or a sequence's fleet after its first leg) was trading before the run: only
    // effects after the ledger's backlog show it is under load now.
    const idle = warmupProblem(ep.external || ctx.fleetRanBefore ? obs.ledger.fresh() : obs.ledger.count(), obs.failing().includes('ledger'), plan.warmupMs, ep.dataDir);
    if (idle) throw new InfraError(idle);

    // The lever.
    await sleepUntil(t0 + plan.kill.atMs);
    stage = 'kill';
    let path = killPathByName(plan.kill.path, keyPrefix);
    const lever = { path: plan.kill.path, scope: plan.kill.scope, target: plan.kill.target, mode: plan.kill.mode, level: plan.kill.level, asset: plan.kill.asset, ...(plan.kill.queue ? { queue: plan.kill.queue } : {}) };
    const leverEmit = (name: 'kill' | 'release') => (e: LeverEvent) => emit({ ...e, lever: name, ...(e.type === 'lever-issued' ? lever : {}) });
    const leverReq = { ...plan.kill, runId: ctx.runId, reason: leverReason(ctx.runId, plan.scenarioName, plan.caseId) };
    // Budgets and the release run from when the lever was pulled, not from when it answered.
    const issuedAt = nowMs();
    const ep0 = ep;
    pulled = {
      release: async () => {
        let failed: string | null = null;
        const emitRelease = leverEmit('release');
        await path.release(ep0, leverReq, (e) => {
          if (e.type === 'lever-failed') failed = e.error;
          emitRelease(e);
        });
        if (failed) throw new Error(failed);
      },
    };
    let killFailed: string | null = null;
    await path.engage(ep, leverReq, (e) => {
      if (e.type === 'lever-failed') killFailed = e.error;
      leverEmit('kill')(e);
    });
    if (killFailed !== null && plan.kill.fallback) {
      // The runbook's fallback (kill.fallback): pulled at once with the same scope, target and mode;
      // from here the kill is its lever (History.lever('kill')), and the release goes by it.
      const fallback = killPathByName(plan.kill.fallback, keyPrefix);
      emit({ type: 'lever-fallback', at: nowMs(), from: plan.kill.path, to: plan.kill.fallback, reason: killFailed });
      lever.path = plan.kill.fallback;
      path = fallback;
      await path.engage(ep, leverReq, leverEmit('kill'));
    }
    // The agent workers' queues at T+0 (and T+60 s, armed here): not awaited, the watch starts now.
    const queueT0 = obs.agents?.killConfirmed().catch(() => {});

    // Watch: every in-scope bot Stopped, or the budget ran out; then the release and the restart.
    const allIn = (phase: string) => inScope.every((s) => obs.phases.phases.get(s) === phase);
    const watcher = earlyEnd({ judgeSoFar: ctx.judgeSoFar, failing: obs.failing, capAt, sleepUntil, emit, maxDurationMs: plan.maxDurationMs });
    stage = 'stopping';
    let r = await watcher.watch('stop', issuedAt + plan.stopBudgetMs, () => allIn('Stopped'));
    if (allIn('Stopped')) await observeVenueBook(reads.venue, inScope, emit); // the venue's own book, for mode-work-done
    if (r === 'done' || r === 'timeout') r = await watcher.watch('stop', nowMs() + plan.settleMs, () => false);
    if (plan.releaseAfterMs !== null) {
      // Decided or capped: release now (the fleet is left as it was found), without watching the restart.
      if (r === 'timeout') r = await watcher.watch('release', issuedAt + plan.releaseAfterMs, () => false);
      stage = 'release';
      await queueT0;
      await obs.agents?.laterRead('before-release').catch(() => {});
      pulled = null;
      await path.release(ep, leverReq, leverEmit('release'));
      if (r === 'timeout') {
        r = await watcher.watch('restart', nowMs() + plan.restartBudgetMs, () => allIn('Running'));
        if (r === 'timeout' && ctx.stopOnNoRestart) throw new Stopped(noRestartReason(inScope, obs.phases.phases, plan.restartBudgetMs));
      }
      await sleepUntil(nowMs() + plan.settleMs);
    }
    stage = 'finishing';
    for (const t of timers) clearInterval(t);
    completed = true;
    return { status: 'completed', inScope, secrets };
  } catch (err) {
    if (err instanceof Stopped) {
      emit({ type: 'stop-condition', at: nowMs(), reason: err.message });
      return { status: 'interrupted', reason: err.message, inScope, secrets };
    }
    if (err instanceof Interrupted || signal.aborted) return { status: 'interrupted', reason: 'killdrill: interrupted (SIGINT)', inScope, secrets };
    if (err instanceof InputError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    return { status: 'errored', reason: reason.startsWith('killdrill:') ? reason : `killdrill: ${reason}`, inScope, secrets };
  } finally {
    for (const t of timers) clearInterval(t);
    // k6 stops first, at the end of the case as on error or abort: no k6 is left running.
    if (load) await load.stop().catch((err: unknown) => emit({ type: 'load-end', at: nowMs(), stoppedBy: 'harness', exitCode: null, signal: null, thresholdsCrossed: [], late: 0, error: `killdrill: stopping k6 failed: ${err instanceof Error ? err.message : String(err)}` }));
    // Heal every fault still active (none is injected from now on), release a kill still pulled,
    // take a last look, read the journals over the wire (the broker's GET /journal), stop the fleet.
    if (faults) await faults.healAll('the case ended before this fault was due');
    // A case that ends with its kill still pulled (error, interrupt) releases it — this run's lever
    // only, faults healed first so the release can reach the fleet.
    if (pulled) await releaseOnAbort(pulled.release, emit);
    // The lease goes; the record of what this run holds goes too unless a fault or the kill was left behind.
    if (pf) await pf.end().catch(() => undefined);
    if (observers) await observers.stop();
    // A scale-out fault added bots: read who joined (boots-halted judges them).
    if (completed && fleet && plan.faults.some((f) => f.kind === 'scale-out')) await readRosterAdded(readsOf(fleet.endpoints).bots, rosterAtStart, emit);
    if (completed && fleet) await readJournal(readsOf(fleet.endpoints).journal, emit);
    progress.done();
    if (fleet) await fleet.stop();
  }
}

/** Starts the case's fleet; a stop condition that holds meanwhile aborts the start (as SIGINT does) and stops the case. */
async function startFleet(plan: RunPlan, ctx: CaseContext): Promise<FleetHandle<TargetEndpoints>> {
  const req = { preset: plan.fleet.preset, bots: plan.fleet.bots, bugs: plan.fleet.bugs, overrides: { ...plan.fleet.overrides, seed: plan.seed }, runId: ctx.runId, dataDir: ctx.dataDir, ...(ctx.portBlock ? { portBlock: ctx.portBlock } : {}) };
  const stop = ctx.stop;
  if (!stop) return ctx.runtime.start(req, ctx.signal);
  const stopped = new AbortController();
  let why: string | null = null; // as it was when the start was aborted (the fleet then takes a while to go)
  const watch = setInterval(() => {
    why ??= stop.reason();
    if (why !== null) stopped.abort();
  }, 50);
  try {
    return await ctx.runtime.start(req, AbortSignal.any([ctx.signal, stopped.signal]));
  } catch (err) {
    if (stopped.signal.aborted && !ctx.signal.aborted && why !== null) throw new Stopped(why);
    throw err;
  } finally {
    clearInterval(watch);
  }
}

/** Time allowed for the release of an aborted case before the runner stops waiting (the path keeps its own timeouts). */
export const ABORT_RELEASE_WAIT_MS = 15_000;

/** Releases the kill of a case that ended early; records it as a `lever-abort-release` op whatever happens. */
export async function releaseOnAbort(release: () => Promise<void>, emit: Emit, waitMs = ABORT_RELEASE_WAIT_MS): Promise<void> {
  const at = nowMs();
  emit({ type: 'lever-abort-release', phase: 'issued', at });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    release().then(
      () => ({ ok: true as const }),
      (err: unknown) => ({ ok: false as const, error: `killdrill: releasing the aborted case's kill failed: ${(err instanceof Error ? err.message : String(err)).replace(/^killdrill: /, '')}` }),
    ),
    new Promise<{ ok: false; error: string }>((r) => (timer = setTimeout(() => r({ ok: false, error: `killdrill: the aborted case's release did not answer within ${waitMs / 1000} s; check the target for a kill left engaged by this run` }), waitMs))),
  ]);
  clearTimeout(timer);
  emit({ type: 'lever-abort-release', phase: 'done', ...outcome, at: nowMs(), tookMs: nowMs() - at });
}

/** `--stop-on-no-restart`: the in-scope bots not Running when the restart budget ran out, named with their phase. */
export function noRestartReason(inScope: string[], phases: ReadonlyMap<string, string>, restartBudgetMs: number): string {
  const late = inScope.filter((s) => phases.get(s) !== 'Running');
  const shown = late.slice(0, 10).map((s) => `${s} (${phases.get(s) ?? 'no phase seen'})`);
  return `killdrill: stop condition --stop-on-no-restart: ${late.length} bot(s) not Running again within the ${restartBudgetMs / 1000} s restart budget after the release: ${shown.join(', ')}${late.length > shown.length ? ` and ${late.length - shown.length} more` : ''}; check those bots before drilling on`;
}

/**
 * load.warmup: by its end the venue must have received effects, or the fleet is not under load and a
 * kill proves nothing (the case is errored). A ledger that cannot be read says nothing either way
 * (its loss is recorded as observer-failed and judged by the checkers that need it).
 */
export function warmupProblem(effects: number, ledgerFailing: boolean, warmupMs: number, dataDir: string | undefined): string | null {
  if (effects > 0 || ledgerFailing) return null;
  return `killdrill: no effect reached the venue during the ${warmupMs} ms warm-up, so the fleet was not under load and a kill would prove nothing; check the fleet (${dataDir ? `its bots' logs under ${dataDir}` : 'its bots are running and trading'}) or lengthen load.warmup`;
}

/**
 * Halt levels 2 and up scope bots by their daemon's tags (`trading`, `watchdog`). With no host to ask
 * (an external target), every bot of the list must carry its own `tags`, or the in-scope set is unknown.
 */
export function levelNeedsTags(kill: { path: string; level?: number }, bots: Array<{ slug: string; host: string; daemon: string; tags?: string[] }>, hostTags: Map<string, string[]>): string | null {
  if (kill.path !== 'broker-level' || (kill.level ?? 0) < 2) return null;
  const without = bots.filter((b) => !hostTags.has(`${b.host}/${b.daemon}`) && !Array.isArray(b.tags));
  if (!without.length) return null;
  return `halt level ${kill.level} scopes bots by their daemon's tags, and ${without.length} bot(s) of the target's list (e.g. ${without[0].slug}) carry no tags and have no host to ask; list each bot's tags in the bot list, or drill another path`;
}

/** A scenario problem found only once the fleet was up (e.g. a fault aimed at a component it lacks): exit 2. */
export class InputError extends Error {
  override name = 'InputError';
}

