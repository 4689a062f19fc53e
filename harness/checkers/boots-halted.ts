// boots-halted (seeds 001 and 003: a pod the HPA adds, or KeepAlive restarts, while a kill is on
// must come up halted): every bot daemon that starts (the supervisor's `daemon start`) while the
// kill is engaged — at or after engagedAt, before the release was issued — reports each of its
// in-scope bots Stopped before that bot's first effect:
// - the bot's first phase reported at or after the start (its boot phase) is not Running;
// - no effect of that bot the kill's mode forbids was dispatched from the start until its first
//   Stopped (the mode's own work — a cancel of an order its previous life left resting — may go).
// In scope: the roster's bots and those that joined during the case (`roster-added`: a scale-out
// replica's). Opt-in (expect names it). Unknown without an engaged kill, a roster, or a daemon start during
// the kill, and for a bot with no phase observed after its daemon's start (missing evidence) — unless
// that process exited with neither a phase nor an effect of the bot: it never booted (listed as
// `notBooted`, nothing to judge; only such lives is unknown too).
import type { Checker } from './types.ts';
import { isVerdict, killAndScope, unknown } from './prerequisites.ts';
import { list } from './phase-latency.ts';
import { modeAllows } from './spec/modes.ts';
import { fmtMs } from './stats.ts';
import { inScopeBots } from './spec/index.ts';

interface Boot {
  daemon: string;
  pid: number;
  startAt: number;
  bot: string;
  bootPhase: string | null;
  bootPhaseAt: number | null;
  stoppedAt: number | null;
  /** The process exited before this bot reported any phase or sent anything: it never booted (nothing to judge). */
  notBooted: boolean;
  forbidden: Array<{ key: string; kind: string; dispatchedAt: number; afterStartMs: number }>;
}

export const bootsHalted: Checker = (h) => {
  const name = 'boots-halted';
  const ready = killAndScope(h, name, { needEngaged: true });
  if (isVerdict(ready)) return ready;
  const { kill } = ready;
  // A replica the scale-out fault started has bots of its own, read after the case (roster-added).
  const added = inScopeBots(h.rosterAdded(), kill);
  const inScope = [...ready.inScope, ...added];
  const mode = h.killMode();
  if (!mode) return unknown(name, `the kill's mode '${kill.mode}' is not one of cancel, flatten, freeze, so what a halted bot may still send is unknown`);
  const engagedAt = kill.engagedAt!;
  const release = h.lever('release');
  const until = release ? release.issuedAt : h.observedUntil();
  const starts = h.daemonEvents().filter((e) => e.event === 'start' && e.at >= engagedAt && e.at < until);
  const judged = starts.filter((s) => inScope.some((b) => b.host === s.host && b.daemon === s.daemon));
  if (!judged.length) return unknown(name, `no daemon with in-scope bots started while the kill was engaged (${starts.length} start(s) of others), so no boot into a kill can be judged`, { starts: starts.length });
  const effects = h.effects();
  const boots: Boot[] = [];
  for (const s of judged) {
    const d = `${s.host}/${s.daemon}`;
    const next = h.daemonEvents().filter((e) => e.host === s.host && e.daemon === s.daemon && e.at > s.at).sort((a, b) => a.at - b.at)[0];
    const lifeEnd = Math.min(next?.at ?? Infinity, until);
    const exited = next?.event === 'exit' && next.at < until;
    for (const b of inScope.filter((x) => x.host === s.host && x.daemon === s.daemon)) {
      const first = h.phasesOf(b.slug).find((p) => p.at >= s.at && p.at < lifeEnd) ?? null;
      const stopped = h.phasesOf(b.slug).find((p) => p.at >= s.at && p.at < lifeEnd && p.phase === 'Stopped')?.at ?? null;
      const end = stopped ?? lifeEnd;
      const forbidden = effects
        .filter((e) => e.bot === b.slug && e.dispatchedAt >= s.at && e.dispatchedAt < end && !modeAllows(mode, e.kind))
        .map((e) => ({ key: e.key, kind: e.kind, dispatchedAt: e.dispatchedAt, afterStartMs: e.dispatchedAt - s.at }));
      const sent = effects.some((e) => e.bot === b.slug && e.dispatchedAt >= s.at && e.dispatchedAt < lifeEnd);
      boots.push({ daemon: d, pid: s.pid, startAt: s.at, bot: b.slug, bootPhase: first?.phase ?? null, bootPhaseAt: first?.at ?? null, stoppedAt: stopped, forbidden, notBooted: !first && !sent && exited });
    }
  }
  const running = boots.filter((b) => b.bootPhase === 'Running');
  const leaked = boots.filter((b) => b.forbidden.length);
  const unseen = boots.filter((b) => b.bootPhase === null && !b.notBooted);
  const notBooted = boots.filter((b) => b.notBooted);
  const judgedBoots = boots.filter((b) => !b.notBooted);
  const details = {
    mode,
    added: added.map((b) => b.slug),
    starts: judged.map((s) => ({ daemon: `${s.host}/${s.daemon}`, pid: s.pid, at: s.at })),
    boots: boots.slice(0, 50),
    bootedRunning: running.map((b) => b.bot),
    forbiddenEffects: leaked.reduce((n, b) => n + b.forbidden.length, 0),
    unseen: unseen.map((b) => b.bot),
    notBooted: notBooted.map((b) => `${b.bot} (pid ${b.pid})`),
  };
  const problems: string[] = [];
  if (running.length) problems.push(`${running.length} in-scope bot(s) booted Running while the kill was engaged: ${list(running.map((b) => `${b.bot} (${b.daemon} pid ${b.pid})`))}`);
  if (leaked.length) {
    const all = leaked.flatMap((b) => b.forbidden);
    problems.push(`${all.length} effect(s) the ${mode} mode forbids dispatched by ${leaked.length} bot(s) after their daemon started into the kill and before they reported Stopped (the first ${fmtMs(Math.min(...all.map((f) => f.afterStartMs)))} after the start): ${list(leaked.map((b) => b.bot))}`);
  }
  if (problems.length) return { checker: name, valid: false, summary: problems.join('; '), details };
  if (!judgedBoots.length) return unknown(name, `every daemon that started into the kill exited before its bots reported a phase or sent anything (${notBooted.length} bot life/lives never booted), so no boot into the kill can be judged`, details);
  if (unseen.length) return unknown(name, `${unseen.length} in-scope bot(s) reported no phase after their daemon started into the kill (${list(unseen.map((b) => b.bot))}), so whether they booted halted is unknown`, details);
  return {
    checker: name,
    valid: true,
    summary: `${judged.length} daemon start(s) into the engaged kill: all ${judgedBoots.length} in-scope bot boot(s) ${[...new Set(judgedBoots.map((b) => b.bootPhase))].join('/')} and sent nothing the ${mode} mode forbids before Stopped${notBooted.length ? ` (${notBooted.length} more exited before booting: nothing to judge)` : ''}`,
    details,
  };
};
