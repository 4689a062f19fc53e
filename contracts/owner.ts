// Who owns a fleet's processes (docs/contracts.md §11): a harness that starts `killdrill sim up`
// gives it `KILLDRILL_HARNESS=<pid>:<starttime>` of itself; `sim up` puts the same form of its
// own tag in every process it starts (KILLDRILL_OWNER). A tag whose process is gone names a dead
// owner, and `sim up` reaps what a dead harness left before it starts (fleet-sim/orchestrator/reap.ts).
import { readFileSync } from 'node:fs';

/** The variable a harness sets on the `sim up` it starts: its owner tag. */
export const HARNESS_ENV = 'KILLDRILL_HARNESS';

/** Start time of a process (clock ticks since boot, field 22 of /proc/<pid>/stat), or null. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** This process, unambiguously (pids get reused): `<pid>:<starttime>`. */
export function ownerTag(): string {
  return `${process.pid}:${startTimeOf(process.pid) ?? '0'}`;
}

/** What `sim up --json` reports it reaped before starting: the dead runs and the pids it killed. */
export interface Reaped {
  runIds: string[];
  pids: number[];
}
