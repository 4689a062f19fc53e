// journal-consistent's agent part (issue 14, seed 004's clean diff): for the agent runs of the run
// journal (agent-step ops), every write effect that landed has its planned idempotency key (so a
// resume can skip it, and its compensation can name it), and every planned write that did not land
// is recoverable from the run's plan (listed to recover). The landed effects of the steps the kill
// cut short (open at engagedAt) — what a stop leaves half-done — are listed to compensate.
import type { History } from '../history/index.ts';
import { agentOps, redispatchedLanded, type AgentStepOp } from './agent-journal-ops.ts';

export interface AgentJournalDiff {
  runs: number;
  planned: number;
  landed: number;
  /** A landed effect of an agent run under a key no plan of its run names. */
  unplannedLanded: Array<{ key: string; bot: string; seq: number }>;
  /** A journaled intent of an agent run that did not land and is in no plan: it cannot be recovered. */
  unplannedNotLanded: Array<{ key: string; bot: string; outcome: string | null }>;
  /** A planned write dispatched again after it had landed (the journal's intent after the ledger's landing). */
  redispatched: Array<{ key: string; bot: string; landedAt: number; againAt: number }>;
  toRecover: Array<{ run_id: string; slot: string; key: string }>;
  compensate: Array<{ run_id: string; slot: string; key: string; seq: number; dispatchedAt: number }>;
}

/** null when the history has no run journal (no agent fleet). */
export function agentJournalDiff(h: History): AgentJournalDiff | null {
  const steps = agentOps<AgentStepOp>(h, 'agent-step');
  if (!steps.length) return null;
  const done = agentOps<{ run_id: string; step: number; at: number }>(h, 'agent-step-done');
  const agents = new Set(steps.map((s) => s.slug));
  const planned = new Map<string, { run_id: string; slot: string; step: number }>();
  for (const s of steps) for (const p of s.plan ?? []) if (p.key) planned.set(p.key, { run_id: s.run_id, slot: p.slot, step: s.step });
  const ledger = new Map(h.effects().map((x) => [x.key, x]));

  const unplannedLanded = h.effects().filter((x) => agents.has(x.bot) && !planned.has(x.key)).map((x) => ({ key: x.key, bot: x.bot, seq: x.seq }));
  const unplannedNotLanded = h.journal().filter((j) => agents.has(j.bot) && !ledger.has(j.key) && !planned.has(j.key) && j.outcome !== 'landed').map((j) => ({ key: j.key, bot: j.bot, outcome: j.outcome }));
  const toRecover = [...planned].filter(([key]) => !ledger.has(key)).map(([key, p]) => ({ run_id: p.run_id, slot: p.slot, key }));

  // Steps open at the flip: begun before engagedAt, not done by then (in the kill's scope).
  const kill = h.lever('kill');
  const at = kill?.engagedAt ?? null;
  const inScope = new Set(h.inScope().map((b) => b.slug));
  const open = new Set<string>();
  if (at !== null)
    for (const s of steps) {
      if (s.at > at || !inScope.has(s.slug)) continue;
      if (!done.some((d) => d.run_id === s.run_id && d.step === s.step && d.at >= s.at && d.at <= at)) open.add(`${s.run_id} ${s.step}`);
    }
  const compensate = [...planned]
    .filter(([key, p]) => ledger.has(key) && open.has(`${p.run_id} ${p.step}`))
    .map(([key, p]) => ({ run_id: p.run_id, slot: p.slot, key, seq: ledger.get(key)!.seq, dispatchedAt: ledger.get(key)!.dispatchedAt }));
  return {
    runs: new Set(steps.map((s) => s.run_id)).size,
    planned: planned.size,
    landed: [...planned.keys()].filter((k) => ledger.has(k)).length,
    unplannedLanded,
    unplannedNotLanded,
    redispatched: redispatchedLanded(h, new Set(planned.keys())),
    toRecover,
    compensate,
  };
}
