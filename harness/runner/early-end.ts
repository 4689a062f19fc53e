// The runner's watches (the stop, the wait for the release, the restart), each of which ends when its
// condition holds or its time is up — or earlier, for the whole case, when load.duration (the hard
// cap) ran out, or when the history so far decided the case (harness/checkers/decided.ts) and the
// decision held for DECISION_GRACE_MS (late evidence still lands in the history).
import { nowMs } from '../../contracts/index.ts';
import type { Decision } from '../checkers/decided.ts';
import type { Emit } from './emit.ts';

/** How often the history so far is judged. */
export const JUDGE_EVERY_MS = 400;
/** A decision must hold this long before the runner acts on it. */
export const DECISION_GRACE_MS = 1000;

export type WatchEnd = 'done' | 'timeout' | 'decided' | 'cap';
export type Stage = 'stop' | 'release' | 'restart';

export interface EarlyEndOptions {
  judgeSoFar?: () => Decision | null;
  /** Sources whose observer is failing now: nothing is decided while one is. */
  failing: () => string[];
  capAt: number;
  maxDurationMs: number;
  sleepUntil: (t: number) => Promise<void>;
  emit: Emit;
}

export interface Watcher {
  /** Watch until `done()`, or `until`; 'decided' / 'cap' mean: stop the timeline (it was recorded). */
  watch(stage: Stage, until: number, done: () => boolean): Promise<WatchEnd>;
}

export function earlyEnd(o: EarlyEndOptions): Watcher {
  let lastJudged = 0;
  let held: { since: number; outcome: string } | null = null;
  let ended: WatchEnd | null = null;

  const decided = (stage: Stage): boolean => {
    if (!o.judgeSoFar) return false;
    const now = nowMs();
    if (now - lastJudged < JUDGE_EVERY_MS) return false;
    const d = o.failing().length ? null : o.judgeSoFar();
    // A long history takes longer to judge: never spend more than a fifth of the time judging it.
    lastJudged = now + Math.max(0, 4 * (nowMs() - now) - JUDGE_EVERY_MS);
    if (!d) {
      held = null;
      return false;
    }
    if (!held || held.outcome !== d.outcome) held = { since: now, outcome: d.outcome };
    if (now - held.since < DECISION_GRACE_MS) return false;
    o.emit({ type: 'case-decided', at: now, stage, outcome: d.outcome, reason: d.reason, by: d.by, heldMs: now - held.since });
    return true;
  };

  return {
    async watch(stage, until, done) {
      if (ended) return ended;
      for (;;) {
        if (done()) return 'done';
        const now = nowMs();
        if (now >= o.capAt) {
          o.emit({ type: 'duration-reached', at: now, stage, durationMs: o.maxDurationMs });
          return (ended = 'cap');
        }
        if (now >= until) return 'timeout';
        await o.sleepUntil(Math.min(until, o.capAt, now + 50));
        if (decided(stage)) return (ended = 'decided');
      }
    },
  };
}
