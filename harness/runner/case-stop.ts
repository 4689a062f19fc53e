// The stop conditions of `killdrill run` (--max-case-duration, --guard, --guard-redis-key) made
// into one CaseStop per case: the cap counts from the case's start, the guards are probed every second.
import { formatDuration } from '../scenario/duration.ts';
import { caseDeadline, firstOf, guard, probeEvery, type CaseStop, type Guard, type StopCondition } from './stop-conditions.ts';
import { httpGuardProbe, redisKeyProbe } from './guard-probes.ts';

export interface StopOptions {
  maxCaseDurationMs?: number;
  guardUrls?: string[];
  guardRedisKeys?: string[];
  /** `--stop-on-no-restart` (checked by run-case.ts at its restart watch, not here). */
  stopOnNoRestart?: boolean;
}

/** How often the guards are probed. */
export const GUARD_EVERY_MS = 1000;

export function hasStopConditions(o: StopOptions): boolean {
  return o.maxCaseDurationMs !== undefined || !!o.guardUrls?.length || !!o.guardRedisKeys?.length || o.stopOnNoRestart === true;
}

/** The stop conditions in words (for the dry run's plan). */
export function describeStopOptions(o: StopOptions): string[] {
  return [
    ...(o.maxCaseDurationMs !== undefined ? [`interrupt a case that runs longer than ${formatDuration(o.maxCaseDurationMs)}`] : []),
    ...(o.stopOnNoRestart ? ['interrupt a case whose bots are not all Running again within the restart budget after the release'] : []),
    ...(o.guardUrls ?? []).map((u) => `interrupt when GET ${u} stops answering 2xx (probed every ${GUARD_EVERY_MS / 1000} s)`),
    ...(o.guardRedisKeys ?? []).map((k) => `interrupt when the Redis key '${k}' exists in the fleet's Redis (probed every ${GUARD_EVERY_MS / 1000} s)`),
  ];
}

/** One case's stop conditions, started now (null when none was given). */
export function caseStop(o: StopOptions, everyMs = GUARD_EVERY_MS): CaseStop | null {
  const conditions: StopCondition[] = [];
  if (o.maxCaseDurationMs !== undefined) conditions.push(caseDeadline(o.maxCaseDurationMs));
  let redisUrl: string | undefined;
  const guards: Guard[] = [
    ...(o.guardUrls ?? []).map((u) => guard(`--guard ${u}`, httpGuardProbe(u))),
    ...(o.guardRedisKeys ?? []).map((k) => guard(`--guard-redis-key ${k}`, redisKeyProbe(k, () => redisUrl))),
  ];
  if (!conditions.length && !guards.length) return null;
  const stopProbing = guards.length ? probeEvery(guards, everyMs) : async () => {};
  const all = firstOf([...conditions, ...guards]);
  return {
    reason: () => all.reason(),
    attach: (t) => void (redisUrl = t.redisUrl),
    close: stopProbing,
  };
}
