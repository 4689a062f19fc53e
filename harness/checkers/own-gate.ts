// A bot's own gate (seed 003's first layer of defense): from the bot's own transition out of
// Running for the kill until its own return to Running after the release, the bot itself must not
// attempt an effect the kill's mode forbids, whatever the boundary then does with it. Judged on
// ONE clock, the bot's: its phase ops' `at` against its effects' dispatchedAt / intents' intentAt.
// Which transition belongs to the kill is decided by record order (`t`): the harness records
// lever-issued before it sends the lever, so a transition the kill caused is recorded after it.
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

function leverT(h: History, lever: 'kill' | 'release'): number | null {
  const o = h.ops.find((x) => x.type === 'lever-issued' && x.lever === lever);
  return o ? o.t : null;
}

/** The gate window of one bot (its phase ops, in any order). */
export function gateWindow(phases: PhaseOp[], killT: number, releaseT: number | null, releaseIssuedAt: number | null, killConfirmed = true): GateWindow {
  const byAt = [...phases].sort((a, b) => a.at - b.at);
  // The bot's state when the kill was issued: the transitions recorded before it.
  let closedSince: number | null = null;
  for (const p of byAt.filter((x) => x.t < killT)) {
    if (!closed(p.phase)) closedSince = null;
    else if (closedSince === null) closedSince = p.at;
  }
  const closedBeforeKill = closedSince !== null;
  const closedAt = closedSince ?? byAt.find((p) => p.t > killT && closed(p.phase))?.at ?? null;
  let openedAt = Number.POSITIVE_INFINITY;
  // A kill the system never confirmed (the lever failed: e.g. the broker could not reach Redis) left
  // nothing engaged to obey: a bot that closed (failing closed on the outage) may reopen as soon as it
  // can read the flag store again; the window ends at its first return to Running.
  const reopened = !killConfirmed && closedAt !== null ? byAt.find((p) => p.at > closedAt && p.phase === 'Running') : undefined;
  if (reopened) openedAt = reopened.at;
  else if (releaseT !== null) {
    const resumed = closedAt === null ? undefined : byAt.find((p) => p.t > releaseT && p.at > closedAt && p.phase === 'Running');
    openedAt = resumed ? resumed.at : releaseIssuedAt ?? Number.POSITIVE_INFINITY;
  }
  return { closedAt, openedAt, closedBeforeKill };
}

/** Every given bot's gate window for the run's kill (empty without a kill). */
export function gateWindows(h: History, bots: RosterBot[]): Map<string, GateWindow> {
  const out = new Map<string, GateWindow>();
  const killT = leverT(h, 'kill');
  if (killT === null) return out;
  const releaseT = leverT(h, 'release');
  const release = h.lever('release');
  const confirmed = h.lever('kill')?.engagedAt != null;
  for (const b of bots) out.set(b.slug, gateWindow(h.phasesOf(b.slug), killT, releaseT, release ? release.issuedAt : null, confirmed));
  return out;
}

/** Whether a time on the bot's own clock falls while its own gate had to be closed. */
export const insideGate = (w: GateWindow | undefined, at: number) => Boolean(w && w.closedAt !== null && at >= w.closedAt && at < w.openedAt);
