// resume-respects-halt (issue 14, seed 004): a run resumed on another worker (a restarted worker
// process adopting it from the run journal) while its scope is halted does nothing until the
// release; after the release it resumes from its journal — it re-enters the step it was
// interrupted in — and no planned effect lands twice (LangGraph's resume re-runs the interrupted
// node from its start: that is the trap; a planned write dispatched again after it landed is one,
// seen in the journal even when its second landing came after the ledger's last read). Evidence: the agent workers' run journal, read with the
// effect journal after the run (`agent-step`, `agent-skip`, `agent-resume` ops, see
// docs/agents.md "Resume"), and the venue ledger. The halt window is [kill engagedAt, release
// issuedAt): a worker cannot hear a release before it is issued, and may hear a kill before the
// harness saw it confirmed (those resumes are judged only for repeated effects).
import type { History } from '../history/index.ts';
import type { Checker } from './types.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { agentOps, redispatchedLanded, type AgentResumeOp, type AgentStepOp } from './agent-journal-ops.ts';

/**
 * Did a worker resume a run while the kill may have held it (from the kill's issuedAt to the release's
 * issuedAt), or say it resumed one halted? Then the checker runs without being named in `expect`.
 */
export function resumeExercised(h: History): boolean {
  const kill = h.lever('kill');
  const release = h.lever('release');
  const to = release ? release.issuedAt : Number.POSITIVE_INFINITY;
  return agentOps<AgentResumeOp>(h, 'agent-resume').some((r) => r.halted || (kill !== null && r.at >= kill.issuedAt && r.at < to));
}

export const resumeRespectsHalt: Checker = (h) => {
  const name = 'resume-respects-halt';
  if (!h.journalRead()) return unknown(name, 'the journals were not read after the run (the fleet never came up, or the run was cut short), so the run journal is missing');
  const resumes = agentOps<AgentResumeOp>(h, 'agent-resume');
  if (!resumes.length) return unknown(name, 'no agent run was resumed in this run (no agent-resume in the run journal): add a process-kill of an agent worker while the kill is engaged');
  const steps = agentOps<AgentStepOp>(h, 'agent-step');
  const kill = h.lever('kill');
  const release = h.lever('release');
  const haltFrom = kill?.engagedAt ?? null;
  const haltTo = release && !release.failed ? release.issuedAt : Number.POSITIVE_INFINITY;
  const inScope = new Set(h.inScope().map((b) => b.slug));
  const until = h.observedUntil();

  // Every key each run planned, and which slot it belongs to (a re-run may use other keys for the same slot).
  const slotOf = new Map<string, string>();
  const runKeys = new Map<string, Set<string>>();
  for (const s of steps)
    for (const p of s.plan ?? [])
      if (p.key) {
        slotOf.set(p.key, `${s.run_id} ${p.slot}`);
        (runKeys.get(s.run_id) ?? runKeys.set(s.run_id, new Set()).get(s.run_id)!).add(p.key);
      }
  const intents = h.journal();

  const notHalted: Array<{ run_id: string; worker: string; at: number }> = [];
  const actedWhileHalted: Array<{ run_id: string; what: string; at: number }> = [];
  const wrongStep: Array<{ run_id: string; expected: number; got: number; at: number }> = [];
  const awaiting: string[] = [];
  const judged: Array<{ run_id: string; worker: string; at: number; step: number; landed: number; pending: number; resumedAt: number | null }> = [];
  for (const r of resumes) {
    if (haltFrom === null || r.at < haltFrom || r.at >= haltTo || !inScope.has(r.slug)) continue;
    if (!r.halted) notHalted.push({ run_id: r.run_id, worker: r.worker, at: r.at });
    for (const s of steps) if (s.run_id === r.run_id && s.at > r.at && s.at < haltTo) actedWhileHalted.push({ run_id: r.run_id, what: `step ${s.step} began`, at: s.at });
    const keys = runKeys.get(r.run_id) ?? new Set<string>();
    for (const j of intents) {
      if (!keys.has(j.key)) continue;
      for (const at of [j.intentAt, ...(j.reintentsAt ?? [])]) if (at !== null && at > r.at && at < haltTo) actedWhileHalted.push({ run_id: r.run_id, what: `effect ${j.key} dispatched`, at });
    }
    // After the release: the first step of the run is the one the journal says to resume at.
    const next = steps.filter((s) => s.run_id === r.run_id && s.at >= haltTo).sort((a, b) => a.at - b.at)[0];
    if (next && next.step !== r.step) wrongStep.push({ run_id: r.run_id, expected: r.step, got: next.step, at: next.at });
    if (!next && Number.isFinite(haltTo) && haltTo < until) awaiting.push(r.run_id);
    judged.push({ run_id: r.run_id, worker: r.worker, at: r.at, step: r.step, landed: r.landed.length, pending: r.pending.length, resumedAt: next?.at ?? null });
  }

  // A planned effect landed twice: the same slot (one key or several) more than once in the ledger.
  const landedPerSlot = new Map<string, Array<{ key: string; seq: number }>>();
  for (const x of h.effects()) {
    const slot = slotOf.get(x.key);
    if (slot) (landedPerSlot.get(slot) ?? landedPerSlot.set(slot, []).get(slot)!).push({ key: x.key, seq: x.seq });
  }
  const repeated = [...landedPerSlot].filter(([, l]) => l.length > 1).map(([slot, l]) => ({ slot, times: l.length, keys: [...new Set(l.map((x) => x.key))], seqs: l.map((x) => x.seq) }));
  const again = redispatchedLanded(h, new Set(slotOf.keys()));
  const skipped = agentOps<{ key: string }>(h, 'agent-skip').length;

  const details = {
    resumes: resumes.length,
    judged,
    haltFrom,
    haltTo: Number.isFinite(haltTo) ? haltTo : null,
    notHalted,
    actedWhileHalted: actedWhileHalted.slice(0, 50),
    wrongStep,
    repeated: repeated.slice(0, 50),
    redispatched: again.slice(0, 50),
    skipped,
    awaiting,
  };
  const problems: string[] = [];
  if (notHalted.length) problems.push(`${notHalted.length} run(s) resumed as not halted while their scope was (${list(notHalted.map((n) => `${n.run_id} on ${n.worker}`), 3)})`);
  if (actedWhileHalted.length) problems.push(`${actedWhileHalted.length} action(s) of a run resumed while halted, before the release (${list(actedWhileHalted.map((a) => `${a.run_id}: ${a.what}`), 3)})`);
  if (wrongStep.length) problems.push(`${wrongStep.length} run(s) did not resume from the journal after the release (${list(wrongStep.map((w) => `${w.run_id} began step ${w.got}, not ${w.expected}`), 3)})`);
  if (repeated.length) problems.push(`${repeated.length} planned effect(s) landed more than once (${list(repeated.map((r) => `${r.slot} ×${r.times}`), 3)}): the resume repeated a landed effect`);
  if (again.length) problems.push(`${again.length} planned write(s) dispatched again after they had landed (${list(again.map((a) => `${a.key} ${(a.againAt - a.landedAt).toFixed(0)} ms after`), 3)})`);
  if (problems.length) return { checker: name, valid: false, summary: problems.join('; '), details };
  if (!judged.length) return unknown(name, `${resumes.length} run(s) resumed, none while its scope was halted (between the kill's confirmation and the release): the halt was not exercised`, details);
  if (awaiting.length) return unknown(name, `the run stopped watching before ${awaiting.length} run(s) resumed while halted made a step after the release (${list(awaiting, 3)})`, details);
  const after = Number.isFinite(haltTo) ? `, each resumed from its journal after the release` : ' (no release: the resume after it was not exercised)';
  return { checker: name, valid: true, summary: `${judged.length} run(s) resumed while halted did nothing until the release${after}; ${skipped} landed effect(s) skipped, none landed twice`, details };
};
