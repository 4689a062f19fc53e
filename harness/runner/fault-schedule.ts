// The scenario's faults at their times, each healed after its `heal` or when the run ends. A fault the
// run ended before (a case decided early, an error) is recorded as `fault-skipped`, never dropped
// silently; one that could not be injected is recorded with ok: false and makes the case errored.
import { nowMs } from '../../contracts/index.ts';
import { faultByKind, type ActiveFault, type FaultContext } from '../faults/index.ts';
import type { FaultPlan } from './plan.ts';
import type { Emit } from './emit.ts';

export interface FaultSchedule {
  /** Why a fault could not be injected (the case is errored), or null. */
  error(): string | null;
  /** No fault is injected from now on; the pending ones are recorded as skipped. */
  cancel(reason: string): void;
  /** Cancel, wait for injections under way, heal every fault still active. */
  healAll(reason: string): Promise<void>;
}

class Skipped extends Error {}

export function scheduleFaults(faults: FaultPlan[], t0: number, ctx: FaultContext, emit: Emit): FaultSchedule {
  const active: Array<{ id: string; kind: string; fault: ActiveFault; params: Record<string, unknown> }> = [];
  let cancelled: string | null = null;
  let failure: string | null = null;
  const sleepUntil = async (t: number) => {
    while (nowMs() < t) {
      if (cancelled !== null) throw new Skipped();
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
  const runs = faults.map(async (f) => {
    try {
      await sleepUntil(t0 + f.atMs);
    } catch {
      emit({ type: 'fault-skipped', id: f.id, kind: f.kind, params: f.params, plannedAt: t0 + f.atMs, reason: cancelled, at: nowMs() });
      return;
    }
    const at = nowMs();
    let activeFault: ActiveFault;
    try {
      activeFault = await faultByKind(f.kind).inject(ctx, f.params);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      failure ??= `killdrill: fault '${f.kind}' (${f.id}) could not be injected: ${msg.replace(/^killdrill: /, '')}`;
      emit({ type: 'fault-injected', id: f.id, kind: f.kind, params: f.params, ok: false, error: msg, at });
      return;
    }
    active.push({ id: f.id, kind: f.kind, fault: activeFault, params: f.params });
    emit({ type: 'fault-injected', id: f.id, kind: f.kind, params: f.params, detail: activeFault.detail, at });
    if (f.healAfterMs !== null) {
      await sleepUntil(nowMs() + f.healAfterMs).catch(() => {});
      await healOne(f.id);
    }
  });
  const done = Promise.allSettled(runs);
  const cancel = (reason: string) => {
    cancelled ??= reason;
  };
  return {
    error: () => failure,
    cancel,
    async healAll(reason) {
      cancel(reason);
      await done;
      for (const a of [...active]) await healOne(a.id);
    },
  };
}
