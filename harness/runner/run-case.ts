// The timeline interpreter: fleet up → warm-up under load → faults → lever →
// observe until every in-scope bot stopped or the budget ran out → release →
// verify restart → heal → fleet down. Heal and stop also on error and SIGINT.
import { nowMs, DEFAULT_KEY_PREFIX } from '../../fleet-sim/model.ts';
import { InfraError, type FleetHandle, type Runtime } from '../runtime/index.ts';
import { killPathByName, type LeverEvent } from '../kill-paths/index.ts';
import { faultByKind, listComponents, type ActiveFault } from '../faults/index.ts';
import { getJson } from '../kill-paths/http.ts';
import { observePhases } from './observe-phases.ts';
import { observeLedger } from './observe-ledger.ts';
import { observeVenueBook } from './observe-venue-book.ts';
import { observeClaims, observeDaemons, observeStatus } from './observe-fleet.ts';
import { inScopeBots, type RosterBot } from './in-scope.ts';
import type { RunPlan } from './plan.ts';
import type { Emit } from './emit.ts';
import type { Progress } from './progress.ts';
import type { PollLoop } from './poll-loop.ts';

export interface CaseContext {
  runId: string;
  dataDir: string;
  runtime: Runtime;
  emit: Emit;
  progress: Progress;
  signal: AbortSignal;
  portBlock?: { index: number; of: number };
}

export interface CaseRun {
  /** `completed`: the timeline ran to its end and the history can be judged. */
  status: 'completed' | 'errored' | 'interrupted';
  reason?: string;
  inScope: string[];
  journalDir?: string;
  /** The fleet's tokens: reports must keep them out of every file they write. */
  secrets: string[];
}

class Interrupted extends Error {}

export async function runCase(plan: RunPlan, ctx: CaseContext): Promise<CaseRun> {
  const { emit, progress, signal } = ctx;
  const keyPrefix = (plan.fleet.overrides.keyPrefix as string | undefined) ?? DEFAULT_KEY_PREFIX;
  const errors: string[] = [];
  const onObserverError = (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    if (errors[errors.length - 1] !== msg) errors.push(msg);
  };
  let fleet: FleetHandle | null = null;
  const loops: PollLoop[] = [];
  let phases: ReturnType<typeof observePhases> | null = null;
  const active: Array<{ id: string; kind: string; fault: ActiveFault; params: Record<string, unknown> }> = [];
  const timers: NodeJS.Timeout[] = [];
  let inScope: string[] = [];
  const secrets: string[] = [];

  const sleepUntil = async (t: number) => {
    while (nowMs() < t) {
      if (signal.aborted) throw new Interrupted();
      if (fleet?.exited()) throw new InfraError(`killdrill: ${fleet.exited()}`);
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, t - nowMs()))));
    }
  };
  const healOne = async (id: string) => {
    const i = active.findIndex((a) => a.id === id);
    if (i < 0) return;
    const [a] = active.splice(i, 1);
    try {
      const detail = await a.fault.heal();
      emit({ type: 'fault-healed', id, kind: a.kind, params: a.params, detail, at: nowMs() });
    } catch (err) {
      emit({ type: 'fault-healed', id, kind: a.kind, params: a.params, ok: false, error: err instanceof Error ? err.message : String(err), at: nowMs() });
    }
  };

  try {
    progress.update({ phase: 'starting', elapsedMs: 0, running: 0, draining: 0, stopped: 0, effectsPerS: 0 });
    fleet = await ctx.runtime.start(
      { preset: plan.fleet.preset, bots: plan.fleet.bots, bugs: plan.fleet.bugs, overrides: { ...plan.fleet.overrides, seed: plan.seed }, runId: ctx.runId, dataDir: ctx.dataDir, ...(ctx.portBlock ? { portBlock: ctx.portBlock } : {}) },
      signal,
    );
    const ep = fleet.endpoints;
    secrets.push(ep.token, ep.releaseToken);
    const { token: _t, releaseToken: _r, ...publicEndpoints } = ep;
    emit({ type: 'fleet-up', endpoints: publicEndpoints, at: nowMs() });
    const t0 = nowMs();

    // Roster: bots and their daemons' tags (for level scopes).
    const bots = await getJson<RosterBot[]>(`${ep.brokerUrl}/bots`, ep.token);
    const tags = new Map<string, string[]>();
    for (const [host, url] of Object.entries(ep.hosts)) {
      const ds = await getJson<Array<{ name: string; tags?: string[] }>>(`${url}/daemons`, ep.token);
      for (const d of ds) tags.set(`${host}/${d.name}`, d.tags ?? []);
    }
    const roster = bots.map((b) => ({ ...b, tags: tags.get(`${b.host}/${b.daemon}`) ?? [] }));
    emit({ type: 'roster', bots: roster.map(({ slug, host, daemon, fleet, tenant, group, class: cls, asset, capability, run, tags }) => ({ slug, host, daemon, fleet, tenant, group, class: cls, asset, capability, run, tags })) });
    inScope = inScopeBots(roster, plan.kill).map((b) => b.slug);
    if (inScope.length === 0) throw new InfraError(`killdrill: the kill (${plan.kill.scope}:${plan.kill.target}) matches no bot of this fleet; check kill.target against the preset's bots`);

    // Observers: the history's sources.
    phases = observePhases(ep.redisUrl, keyPrefix, emit, onObserverError);
    const ledger = observeLedger(ep.venueUrl, emit, onObserverError);
    loops.push(ledger, observeDaemons(ep, emit, onObserverError), observeClaims(ep, emit, onObserverError), observeStatus(ep, emit));

    // Progress line.
    let lastCount = 0;
    let lastAt = nowMs();
    let stage = 'warm-up';
    const progressTimer = setInterval(() => {
      const counts = { Running: 0, Draining: 0, Stopped: 0 } as Record<string, number>;
      for (const p of phases!.phases.values()) counts[p] = (counts[p] ?? 0) + 1;
      const now = nowMs();
      const rate = ((ledger.count() - lastCount) * 1000) / Math.max(1, now - lastAt);
      lastCount = ledger.count();
      lastAt = now;
      progress.update({ phase: stage, elapsedMs: now - t0, running: counts.Running, draining: counts.Draining, stopped: counts.Stopped, effectsPerS: rate });
    }, 500);
    timers.push(progressTimer as unknown as NodeJS.Timeout);

    // Faults at their times (checked against the fleet's components before the lever).
    const components = await listComponents(ep);
    for (const f of plan.faults) {
      const problem = faultByKind(f.kind).check(f.params, components);
      if (problem) throw new InputError(`killdrill: ${plan.file}: fault '${f.kind}' (${f.id}): ${problem}`);
    }
    const faultRuns = plan.faults.map(async (f) => {
      await sleepUntil(t0 + f.atMs);
      const fault = faultByKind(f.kind);
      const detail0 = { at: nowMs() };
      const activeFault = await fault.inject({ fleet: ep, components }, f.params);
      active.push({ id: f.id, kind: f.kind, fault: activeFault, params: f.params });
      emit({ type: 'fault-injected', id: f.id, kind: f.kind, params: f.params, detail: activeFault.detail, at: detail0.at });
      if (f.healAfterMs !== null) {
        await sleepUntil(nowMs() + f.healAfterMs);
        await healOne(f.id);
      }
    });
    const faultsDone = Promise.all(faultRuns);
    faultsDone.catch(() => {});

    // The lever.
    await sleepUntil(t0 + plan.kill.atMs);
    stage = 'kill';
    const path = killPathByName(plan.kill.path, keyPrefix);
    const lever = { path: plan.kill.path, scope: plan.kill.scope, target: plan.kill.target, mode: plan.kill.mode, level: plan.kill.level, asset: plan.kill.asset };
    const leverEmit = (name: 'kill' | 'release') => (e: LeverEvent) => emit({ ...e, lever: name, ...(e.type === 'lever-issued' ? lever : {}) });
    const leverReq = { ...plan.kill, reason: `killdrill ${plan.scenarioName} ${plan.caseId}` };
    // Budgets and the release run from when the lever was pulled, not from when it answered.
    const issuedAt = nowMs();
    await path.engage(ep, leverReq, leverEmit('kill'));

    // Observe until every in-scope bot is Stopped, or the budget ran out.
    stage = 'stopping';
    const allIn = (phase: string) => inScope.every((s) => phases!.phases.get(s) === phase);
    const stopDeadline = issuedAt + plan.stopBudgetMs;
    while (nowMs() < stopDeadline && !allIn('Stopped')) await sleepUntil(Math.min(stopDeadline, nowMs() + 50));
    if (allIn('Stopped')) await observeVenueBook(ep.venueUrl, inScope, emit); // the venue's own book, for mode-work-done
    await sleepUntil(nowMs() + plan.settleMs);

    if (plan.releaseAfterMs !== null) {
      await sleepUntil(issuedAt + plan.releaseAfterMs);
      stage = 'release';
      await path.release(ep, leverReq, leverEmit('release'));
      const restartDeadline = nowMs() + plan.restartBudgetMs;
      while (nowMs() < restartDeadline && !allIn('Running')) await sleepUntil(Math.min(restartDeadline, nowMs() + 50));
      await sleepUntil(nowMs() + plan.settleMs);
    }
    stage = 'finishing';
    for (const t of timers) clearInterval(t);
    await Promise.race([faultsDone, new Promise((r) => setTimeout(r, 0))]);
    return { status: 'completed', inScope, journalDir: `${ep.dataDir}/journal`, secrets };
  } catch (err) {
    if (err instanceof Interrupted || signal.aborted) return { status: 'interrupted', reason: 'killdrill: interrupted (SIGINT)', inScope, secrets };
    if (err instanceof InputError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    return { status: 'errored', reason: reason.startsWith('killdrill:') ? reason : `killdrill: ${reason}`, inScope, secrets };
  } finally {
    for (const t of timers) clearInterval(t);
    // Heal every fault still active, then take a last look, then stop the fleet.
    for (const a of [...active]) await healOne(a.id);
    for (const l of loops) {
      await l.flush().catch(() => {});
      await l.stop();
    }
    if (phases) {
      await phases.drain();
      await phases.stop();
    }
    // The observers' last look: later effects and phases were not observed (history.observedUntil()).
    emit({ type: 'observers-stopped', at: nowMs() });
    if (errors.length) emit({ type: 'observer-errors', errors: errors.slice(-20) });
    progress.done();
    if (fleet) await fleet.stop();
  }
}

/** A scenario problem found only once the fleet was up (e.g. a fault aimed at a component it lacks): exit 2. */
export class InputError extends Error {
  override name = 'InputError';
}
