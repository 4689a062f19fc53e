// A run's liveness, visible on the target (docs/safety.md "Dead runs"): while a case runs, the harness
// keeps a lease key `<namespace>:killdrill:run:<runId>` in the target's Redis (TTL LEASE_TTL_MS,
// refreshed every LEASE_REFRESH_MS) and a record of the faults it may leave behind (the Toxiproxy's
// state before them, and each fault's links once injected) in the hash `<namespace>:killdrill:runs`.
// A SIGKILLed harness refreshes nothing: its lease goes, its record stays, and the next run's
// preflight clears what that record and the levers' run ids say it left (preflight-clear.ts).
// <namespace> is the kill-key prefix minus its last segment (as the phase stream's), so these keys
// are never under the kill-key prefix itself.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { namespaceOf } from '../../contracts/index.ts';
import type { HostView, LeaseValue } from './preflight-rules.ts';

export const LEASE_TTL_MS = 15_000;
export const LEASE_REFRESH_MS = 3_000;

export const leaseKey = (prefix: string, runId: string) => `${namespaceOf(prefix)}:killdrill:run:${runId}`;
export const runsKey = (prefix: string) => `${namespaceOf(prefix)}:killdrill:runs`;

/** One proxy of the target's Toxiproxy as it was: enabled, and its toxics' names. */
export interface ProxyState {
  enabled: boolean;
  toxics: string[];
}

/** What a run records of its faults on the target, for the next run to undo should it die. */
export interface RunRecord {
  runId: string;
  host: string;
  pid: number;
  startedAt: number;
  scenario: string;
  caseId: string;
  /** The Toxiproxy its faults go through, and every proxy's state before the first fault. */
  proxyUrl: string | null;
  baseline: Record<string, ProxyState>;
  /** Planned fault ids, and what became of each: the links it touched once injected, healed once healed. */
  faults: Record<string, { kind: string; links?: string[]; healed?: boolean }>;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null without /proc. */
export function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** This host, as runLiveness asks it: is that pid (with that start time) running here? */
export function thisHost(): HostView {
  return {
    host: hostname(),
    alive(pid, start) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
        if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
      }
      if (start) {
        const now = procStart(pid);
        if (now !== null && now !== start) return false; // the pid was reused by another process
      }
      return true;
    },
  };
}

export function leaseValue(runId: string): LeaseValue {
  return { runId, host: hostname(), pid: process.pid, procStart: procStart(process.pid), startedAt: Date.now(), ttlMs: LEASE_TTL_MS };
}

export function parseLease(text: string | null): LeaseValue | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as LeaseValue;
    return typeof v?.runId === 'string' && typeof v.host === 'string' && typeof v.pid === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** The lease of this case's run, refreshed until stop(); the record of its faults, updated as they go. */
export interface Lease {
  record: RunRecord;
  /** Writes the record (before the first fault, and as each is injected or healed). */
  save(): Promise<void>;
  /** Why the last refresh failed (the lease may have expired), or null. */
  error(): string | null;
  /** Stops refreshing; deletes the lease, and the record when nothing is left behind (else the next run clears it). */
  stop(leftBehind: boolean): Promise<void>;
}

export async function takeLease(redis: Redis, prefix: string, record: RunRecord): Promise<Lease> {
  const key = leaseKey(prefix, record.runId);
  const value = JSON.stringify(leaseValue(record.runId));
  let failed: string | null = null;
  await redis.set(key, value, 'PX', LEASE_TTL_MS);
  await redis.hset(runsKey(prefix), record.runId, JSON.stringify(record));
  const timer = setInterval(() => {
    redis.set(key, value, 'PX', LEASE_TTL_MS).then(
      () => void (failed = null),
      (err: unknown) => void (failed = `killdrill: the run's lease ${key} could not be refreshed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, LEASE_REFRESH_MS);
  timer.unref();
  return {
    record,
    save: async () => void (await redis.hset(runsKey(prefix), record.runId, JSON.stringify(record))),
    error: () => failed,
    async stop(leftBehind) {
      clearInterval(timer);
      if (!leftBehind) await redis.hdel(runsKey(prefix), record.runId);
      await redis.del(key);
    },
  };
}
