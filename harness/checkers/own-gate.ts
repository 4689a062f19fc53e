// A bot's own gate (seed 003's first layer of defense): from the bot's own transition out of
// Running for the kill until its own return to Running after the release, the bot itself must not
// attempt an effect the kill's mode forbids, whatever the boundary then does with it. Judged on
// ONE clock, the bot's: its phase ops' `at` against its effects' dispatchedAt / intents' intentAt.
// Which transition belongs to the kill is decided by the transition's own time against the lever's
// issuedAt (stamped before the lever is sent, so every transition the kill caused comes after it) —
// not by record order: phase reports are delayed while Redis or a bot's link is down, so a bot that
// failed closed and reopened before the kill can be recorded after it (seen with docker network-
// disconnect and redis-down). Both are nowMs() stamps (docs/contracts.md); a daemon clock behind the
// harness's by more than a transition's distance from the lever is daemon-clocks.ts's to catch.
import type { History, PhaseOp } from '../history/index.ts';
import type { RosterBot } from './spec/in-scope.ts';

export interface GateWindow {
  /** The bot's own Draining (or Stopped) transition for the kill, on its clock; null if never seen. */
  closedAt: number | null;
  /** Its own return to Running after the release, on its clock; else the release's issuedAt; else +∞. */
  openedAt: number;
  /** The bot was already Draining/Stopped before the kill was issued. */
  closedBeforeKill: boolean;
}

const closed = (p: string) => p === 'Draining' || p === 'Stopped';

/** The gate window of one bot (its phase ops, in any order). */
export function gateWindow(phases: PhaseOp[], killIssuedAt: number, releaseIssuedAt: number | null, killConfirmed = true, killEngagedAt: number | null = null): GateWindow {
  const byAt = [...phases].sort((a, b) => a.at - b.at);
  // The bot's state when the kill was issued: its transitions before then.
  let closedSince: number | null = null;
  for (const p of byAt.filter((x) => x.at < killIssuedAt)) {
    if (!closed(p.phase)) closedSince = null;
    else if (closedSince === null) closedSince = p.at;
  }
  // Closed for something else when the kill was issued (it failed closed on an outage) and back to
  // Running before the lever confirmed the kill engaged: the flag store it read did not yet hold the
  // kill, as for a bot Running at the lever. Its gate for the kill closes at its next transition out
  // of Running. Back to Running after engagedAt, it resumed while the kill held: the gate stays
  // closed from the earlier closure (resume-ignores-halt).
  let from = killIssuedAt;
  if (closedSince !== null && killEngagedAt !== null) {
    const reopened = byAt.find((p) => p.at >= killIssuedAt && p.at < killEngagedAt && p.phase === 'Running');
    if (reopened) {
      closedSince = null;
      from = reopened.at;
    }
  }
  const closedBeforeKill = closedSince !== null;
  const closedAt = closedSince ?? byAt.find((p) => p.at >= from && closed(p.phase))?.at ?? null;
  let openedAt = Number.POSITIVE_INFINITY;
  // A kill the system never confirmed (the lever failed: e.g. the broker could not reach Redis) left
  // nothing engaged to obey: a bot that closed (failing closed on the outage) may reopen as soon as it
  // can read the flag store again; the window ends at its first return to Running.
  const reopened = !killConfirmed && closedAt !== null ? byAt.find((p) => p.at > closedAt && p.phase === 'Running') : undefined;
  if (reopened) openedAt = reopened.at;
  else if (releaseIssuedAt !== null) {
    const resumed = closedAt === null ? undefined : byAt.find((p) => p.at > releaseIssuedAt && p.at > closedAt && p.phase === 'Running');
    openedAt = resumed ? resumed.at : releaseIssuedAt ?? Number.POSITIVE_INFINITY;
  }
  return { closedAt, openedAt, closedBeforeKill };
}

/** Every given bot's gate window for the run's kill (empty without a kill). */
export function gateWindows(h: History, bots: RosterBot[]): Map<string, GateWindow> {
  const out = new Map<string, GateWindow>();
  const kill = h.lever('kill');
  if (!kill) return out;
  const release = h.lever('release');
  const confirmed = kill.engagedAt !== null;
  for (const b of bots) out.set(b.slug, gateWindow(h.phasesOf(b.slug), kill.issuedAt, release ? release.issuedAt : null, confirmed, kill.engagedAt));
  return out;
}

/** Whether a time on the bot's own clock falls while its own gate had to be closed. */
export const insideGate = (w: GateWindow | undefined, at: number) => Boolean(w && w.closedAt !== null && at >= w.closedAt && at < w.openedAt);
