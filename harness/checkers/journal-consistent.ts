// journal-consistent (DESIGN.md §3): every ledger effect has a journal intent, no idempotency key
// landed twice, and every intent either landed or is listed as not landed — with the journal's own
// outcome agreeing with the ledger. Intents whose effect landed after the ledger's last read are not judged.
// With an agent fleet's run journal, also seed 004's clean diff (journal-agents.ts): every landed write
// has its planned key, every one that did not land is in its run's plan; the landed effects of the steps
// the kill cut short are listed to compensate (details.agents.compensate).
import type { Checker } from './types.ts';
import { unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { agentJournalDiff } from './journal-agents.ts';

export const journalConsistent: Checker = (h) => {
  const name = 'journal-consistent';
  if (!h.journalRead()) return unknown(name, 'the journals were not read after the run (the fleet never came up, or the run was cut short)');
  const effects = h.effects();
  const journal = h.journal();
  if (!effects.length && !journal.length) return unknown(name, 'no effect and no journal entry were recorded: nothing to compare');
  const landedCount = new Map<string, number>();
  for (const x of effects) landedCount.set(x.key, (landedCount.get(x.key) ?? 0) + 1);
  const maxSeq = effects.reduce((m, x) => Math.max(m, x.seq), -1);
  const stoppedAt = h.ofType('observers-stopped').at(-1)?.at ?? Number.POSITIVE_INFINITY;
  const intents = new Map(journal.filter((j) => j.intentAt !== null).map((j) => [j.key, j]));

  const duplicates = [...landedCount].filter(([, n]) => n > 1).map(([key, n]) => ({ key, times: n }));
  const withoutIntent = effects.filter((x) => !intents.has(x.key)).map((x) => ({ key: x.key, bot: x.bot, seq: x.seq }));
  const landedNotInLedger: Array<{ key: string; bot: string }> = [];
  const saidNotLandedButLanded: Array<{ key: string; bot: string; outcome: string }> = [];
  const notLanded: Array<{ key: string; bot: string; outcome: string | null }> = [];
  let notJudged = 0;
  for (const j of intents.values()) {
    const inLedger = landedCount.has(j.key);
    if (j.outcome === 'landed' && !inLedger) {
      const unseen = j.seq !== null ? j.seq > maxSeq : (j.intentAt ?? 0) >= stoppedAt;
      if (unseen) notJudged++;
      else landedNotInLedger.push({ key: j.key, bot: j.bot });
    } else if ((j.outcome === 'rejected' || j.outcome === 'failed') && inLedger) {
      saidNotLandedButLanded.push({ key: j.key, bot: j.bot, outcome: j.outcome });
    } else if (!inLedger) {
      if ((j.intentAt ?? 0) >= stoppedAt) notJudged++;
      else notLanded.push({ key: j.key, bot: j.bot, outcome: j.outcome });
    }
  }
  const agents = agentJournalDiff(h);
  const details = {
    effects: effects.length,
    intents: intents.size,
    duplicates,
    withoutIntent: withoutIntent.slice(0, 50),
    withoutIntentCount: withoutIntent.length,
    landedNotInLedger: landedNotInLedger.slice(0, 50),
    saidNotLandedButLanded: saidNotLandedButLanded.slice(0, 50),
    notLandedCount: notLanded.length,
    notLanded: notLanded.slice(0, 200),
    notJudged,
    ...(agents ? { agents: { ...agents, unplannedLanded: agents.unplannedLanded.slice(0, 50), unplannedNotLanded: agents.unplannedNotLanded.slice(0, 50), redispatched: agents.redispatched.slice(0, 50), toRecover: agents.toRecover.slice(0, 200), toRecoverCount: agents.toRecover.length, compensate: agents.compensate.slice(0, 200), compensateCount: agents.compensate.length } } : {}),
  };
  const problems: string[] = [];
  if (withoutIntent.length) problems.push(`${withoutIntent.length} ledger effect(s) with no journal intent (${list(withoutIntent.map((w) => `${w.key} of ${w.bot}`), 3)})`);
  if (duplicates.length) problems.push(`${duplicates.length} idempotency key(s) landed more than once (${list(duplicates.map((d) => `${d.key} ×${d.times}`), 3)})`);
  if (landedNotInLedger.length) problems.push(`${landedNotInLedger.length} intent(s) the journal says landed are not in the ledger (${list(landedNotInLedger.map((l) => l.key), 3)})`);
  if (saidNotLandedButLanded.length) problems.push(`${saidNotLandedButLanded.length} intent(s) the journal says ${saidNotLandedButLanded[0].outcome} did land (${list(saidNotLandedButLanded.map((l) => l.key), 3)})`);
  if (agents?.unplannedLanded.length) problems.push(`${agents.unplannedLanded.length} landed agent effect(s) under a key no run plan names (${list(agents.unplannedLanded.map((u) => `${u.key} of ${u.bot}`), 3)}): a resume cannot skip them`);
  if (agents?.unplannedNotLanded.length) problems.push(`${agents.unplannedNotLanded.length} agent intent(s) not landed and in no run plan (${list(agents.unplannedNotLanded.map((u) => u.key), 3)}): not recoverable`);
  if (agents?.redispatched.length) problems.push(`${agents.redispatched.length} planned agent write(s) journaled again after they landed (${list(agents.redispatched.map((r) => r.key), 3)}): the journal no longer says once`);
  if (problems.length) return { checker: name, valid: false, summary: problems.join('; '), details };
  const agentPart = agents ? `; agent runs: ${agents.landed} of ${agents.planned} planned write(s) landed under their keys, ${agents.toRecover.length} to recover from the plans, ${agents.compensate.length} landed in steps the kill cut short (to compensate)` : '';
  return { checker: name, valid: true, summary: `${effects.length} effect(s) all journaled, no key landed twice, ${notLanded.length} intent(s) listed as not landed${notJudged ? `, ${notJudged} after the last ledger read not judged` : ''}${agentPart}`, details };
};
