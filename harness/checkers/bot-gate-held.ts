// bot-gate-held (seed 003's defense in depth, the bots' own layer): from the journal, every attempt
// (an intent) of a kind the kill's mode forbids that an in-scope bot made after its own Draining
// transition and before its own return to Running after the release is a bot-gate failure — even
// when the execution boundary rejected it (outcome rejected) and nothing landed. Judged on the
// bot's clock only: its phase ops against its intents (own-gate.ts). Bots that never left Running
// are time-to-draining's to judge; they are reported, not counted here (none left Running: true).
import type { Checker } from './types.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { fmtMs } from './stats.ts';
import { modeAllows } from './spec/modes.ts';
import { gateWindows, insideGate } from './own-gate.ts';

export const botGateHeld: Checker = (h) => {
  const name = 'bot-gate-held';
  const ready = killAndScope(h, name, { needEngaged: false });
  if (isVerdict(ready)) return ready;
  const mode = h.killMode();
  if (!mode) return unknown(name, `the kill's mode (${ready.kill.mode}${ready.kill.level ? `, level ${ready.kill.level}` : ''}) is not one this checker knows`);
  if (!h.journalRead()) return unknown(name, 'the journals were not read after the run (the fleet never came up, or the run was cut short), so the bots\' attempts are unknown');
  const inScope = new Set(ready.inScope.map((b) => b.slug));
  const intents = h.journal().filter((j) => j.intentAt !== null && inScope.has(j.bot));
  if (!intents.length) return unknown(name, 'the journals hold no intent of any in-scope bot: the load never ran or the journals were lost, so no attempt proves nothing');
  if (!h.ofType('phase').length) return unknown(name, 'no bot phase was observed at all, so no bot\'s own Draining transition is known');
  const gates = gateWindows(h, ready.inScope);
  const closed = ready.inScope.filter((b) => gates.get(b.slug)?.closedAt != null);
  const neverClosed = ready.inScope.filter((b) => gates.get(b.slug)?.closedAt == null).map((b) => b.slug);
  // Phases were observed, and none of these bots left Running: no gate window opened, so none was
  // breached (like a stop claim never made). Whether they should have drained is time-to-draining's.
  if (!closed.length) return { checker: name, valid: true, summary: `no in-scope bot left Running for the kill (${list(neverClosed)}), so no bot gate had to hold; time-to-draining judges whether they should have`, details: { mode, inScope: ready.inScope.length, judgedBots: 0, neverClosed, attempts: 0 } };
  // Every attempt: the first intent of a key and each retry under it (reintentsAt).
  const attempts = intents
    .filter((j) => !modeAllows(mode, j.kind))
    .flatMap((j) => [j.intentAt!, ...(j.reintentsAt ?? [])].filter((at) => insideGate(gates.get(j.bot), at)).map((at) => ({ ...j, intentAt: at, retry: at !== j.intentAt })));
  const byOutcome: Record<string, number> = {};
  const perBot: Record<string, number> = {};
  for (const a of attempts) {
    byOutcome[a.outcome ?? 'open'] = (byOutcome[a.outcome ?? 'open'] ?? 0) + 1;
    perBot[a.bot] = (perBot[a.bot] ?? 0) + 1;
  }
  const host = new Map(ready.inScope.map((b) => [b.slug, b.host]));
  const details = {
    mode,
    inScope: ready.inScope.length,
    judgedBots: closed.length,
    neverClosed,
    attempts: attempts.length,
    byOutcome,
    perBot,
    retries: attempts.filter((a) => a.retry).length,
    first: attempts.slice(0, 20).map((a) => ({ bot: a.bot, host: host.get(a.bot), kind: a.kind, key: a.key, retry: a.retry, outcome: a.outcome, afterOwnDrainingMs: a.intentAt! - gates.get(a.bot)!.closedAt! })),
  };
  if (attempts.length) {
    const worst = Object.entries(perBot).sort((a, b) => b[1] - a[1]).map(([b, n]) => `${b}@${host.get(b)} ×${n}`);
    const outcomes = Object.entries(byOutcome).map(([o, n]) => `${n} ${o}`).join(', ');
    const lastMs = Math.max(...attempts.map((a) => a.intentAt! - gates.get(a.bot)!.closedAt!));
    return {
      checker: name,
      valid: false,
      summary: `${attempts.length} attempt(s) the ${mode} mode forbids made by bots after their own Draining (${outcomes}; a rejection is the boundary's catch, not the bot's), the last ${fmtMs(lastMs)} after its Draining: ${list(worst)}`,
      details,
    };
  }
  const note = neverClosed.length ? `; ${neverClosed.length} bot(s) never left Running, not judged here (${list(neverClosed, 3)})` : '';
  return { checker: name, valid: true, summary: `no forbidden attempt after their own Draining from ${closed.length} in-scope bot(s)${note}`, details };
};
