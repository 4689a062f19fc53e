// Is a case decided before its timeline ended (issue 11 item 12)? The runner judges the history
// recorded so far with the same checkers and judge(); it may stop watching only on verdicts that
// cannot flip (docs/reports.md "Ending early"). Conservative: while a fault is active (or healed
// less than FAULT_SETTLE_MS ago) a bot may be holding back phases it will flush later, so nothing
// is decided; the runner also asks only while no observer is failing, and holds a decision for a
// grace before acting on it. The final verdicts are always computed again on the whole history.
// (Only faults that can hold back phase reports count: mayHoldBackPhases.)
import type { History } from '../history/index.ts';
import type { CheckerName } from './names.ts';
import type { Verdict } from './types.ts';
import { judge } from './compose.ts';

/** A false of these never becomes true with more history (it may become unknown: still not a pass). */
const FALSE_NEVER_TRUE: ReadonlySet<CheckerName> = new Set<CheckerName>(['time-to-draining', 'time-to-stop', 'post-flip-effects', 'stop-claims-verified', 'halt-state-durable', 'restart-after-release']);
/** A false of these stays false whatever comes later (a late bot stays late, a lost halt view stays lost). */
const FALSE_FINAL: ReadonlySet<CheckerName> = new Set<CheckerName>(['time-to-draining', 'time-to-stop', 'halt-state-durable', 'restart-after-release']);
/** A true of these stays true (every bot got there in its budget); the others may still see a violation. */
const TRUE_FINAL: ReadonlySet<CheckerName> = new Set<CheckerName>(['time-to-draining', 'time-to-stop', 'restart-after-release']);

export const FAULT_SETTLE_MS = 2000;

export interface Decision {
  /** The case's verdict can no longer change. */
  outcome: 'failed' | 'passed';
  reason: string;
  /** The verdicts that decided it. */
  by: Array<{ checker: CheckerName; valid: Verdict['valid']; summary: string }>;
}

/**
 * Can this fault hold back a bot's phase reports (to be flushed, with their own times, once it heals)?
 * The phase writer uses the bots' poll link to Redis (docs/contracts.md §12): Redis down, that link cut
 * or slowed, a partitioned host, a paused or killed daemon can. The broker, the operator, the pub/sub
 * subscriber link and the other links cannot.
 */
function mayHoldBackPhases(kind: string, params: Record<string, unknown>): boolean {
  if (kind === 'operator-down' || kind === 'broker-restart' || kind === 'pubsub-drop') return false;
  if (kind === 'link-down' || kind === 'link-latency') return String(params?.link ?? '').startsWith('bots-redis-poll');
  return true;
}

/** Faults that may hold back phases, injected and not healed at `now`, or healed less than FAULT_SETTLE_MS before it. */
function faultsUnsettled(h: History, now: number): string[] {
  const healed = new Map(h.ofType('fault-healed').map((f) => [f.id, f.at]));
  return h
    .ofType('fault-injected')
    .filter((f) => mayHoldBackPhases(f.kind, f.params) && (!healed.has(f.id) || now - healed.get(f.id)! < FAULT_SETTLE_MS))
    .map((f) => f.id);
}

/**
 * halt-state-durable judges the status view current when its window opens (engagedAt + grace): until
 * the history reaches that moment, the view it judged is one taken before the halt could show, and a
 * later one will take its place. Its false is final once the window opened or the release was issued.
 */
function windowOpened(h: History, v: Verdict): boolean {
  if (v.checker !== 'halt-state-durable') return true;
  const start = v.details.windowStart;
  return h.lever('release') !== null || (typeof start === 'number' && h.observedUntil() >= start);
}

export function decide(
  h: History,
  verdicts: Verdict[],
  detects: CheckerName[] | undefined,
  now: number,
): Decision | null {
  if (!h.lever('kill')) return null;
  if (faultsUnsettled(h, now).length) return null;
  const want = new Set(detects ?? []);
  const pick = (vs: Verdict[]) => vs.map((v) => ({ checker: v.checker, valid: v.valid, summary: v.summary }));
  // Failed whatever comes: a checker that must pass is false for good, or one that must fail passed for good.
  const mustPassFailed = verdicts.filter((v) => !want.has(v.checker) && v.valid === false && FALSE_NEVER_TRUE.has(v.checker) && windowOpened(h, v));
  const mustFailPassed = verdicts.filter((v) => want.has(v.checker) && v.valid === true && TRUE_FINAL.has(v.checker));
  if (mustPassFailed.length || mustFailPassed.length) {
    const parts = [
      ...mustPassFailed.map((v) => `${v.checker} failed for good: ${v.summary}`),
      ...mustFailPassed.map((v) => `${v.checker} passed for good, so the incident is not reproduced: ${v.summary}`),
    ];
    return { outcome: 'failed', reason: parts.join('; '), by: pick([...mustPassFailed, ...mustFailPassed]) };
  }
  // Passed whatever comes: only for a reproduction whose named checkers failed for good and every other passed for good.
  if (want.size && judge(verdicts, detects).passed) {
    const final = verdicts.every((v) => (want.has(v.checker) ? v.valid === false && FALSE_FINAL.has(v.checker) && windowOpened(h, v) : v.valid === true && TRUE_FINAL.has(v.checker)));
    if (final) return { outcome: 'passed', reason: `every checker's verdict is final: ${verdicts.map((v) => `${v.checker} ${v.valid}`).join(', ')}`, by: pick(verdicts) };
  }
  return null;
}

/** decide() over the checkers' verdicts on the history so far. */
export function decideSoFar(
  h: History,
  run: (h: History) => Verdict[],
  detects: CheckerName[] | undefined,
  now: number,
): Decision | null {
  if (!h.lever('kill') || faultsUnsettled(h, now).length) return null;
  return decide(h, run(h), detects, now);
}
