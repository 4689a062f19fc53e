// Leftover processes of dead runs: every process a `sim up` starts carries
// KILLDRILL_RUN_ID and KILLDRILL_OWNER=<pid>:<starttime> of that sim up in its
// environment (/proc/<pid>/environ). A process whose owner is gone is an orphan.
import { readdirSync, readFileSync } from 'node:fs';
import { ownerTag, startTimeOf } from '../../contracts/index.ts';

export const OWNER_ENV = 'KILLDRILL_OWNER';

function readEnv(pid: number): Map<string, string> | null {
  try {
    const raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const m = new Map<string, string>();
    for (const kv of raw.split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) m.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return m;
  } catch {
    return null;
  }
}

// The tag's form is the contract's (contracts/owner.ts): the harness tags the `sim up` it starts with it.
export { ownerTag, startTimeOf };

function ownerAlive(tag: string): boolean {
  const [pid, start] = tag.split(':');
  return startTimeOf(Number(pid)) === start;
}

function ancestors(): Set<number> {
  const out = new Set<number>([process.pid]);
  let pid = process.pid;
  for (let i = 0; i < 64 && pid > 1; i++) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.add(pid);
    } catch {
      break;
    }
  }
  return out;
}

function processes(): Array<{ pid: number; env: Map<string, string> }> {
  const out: Array<{ pid: number; env: Map<string, string> }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const env = readEnv(Number(d));
    if (env?.has('KILLDRILL_RUN_ID')) out.push({ pid: Number(d), env });
  }
  return out;
}

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/**
 * The pids plus all their descendants. Needed because redis-server rewrites its own environ
 * (its process title overwrites that memory), so it cannot be found by KILLDRILL_RUN_ID: it is
 * found as the child of its guard, and must die with it rather than be orphaned to init.
 */
function withDescendants(pids: number[]): number[] {
  const all = new Set(pids);
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = parentOf(Number(d));
    if (ppid !== null) parents.set(Number(d), ppid);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!all.has(pid) && all.has(ppid)) {
        all.add(pid);
        grew = true;
      }
    }
  }
  return [...all];
}

function killAll(pids: number[]): number[] {
  const killed: number[] = [];
  for (const pid of withDescendants(pids)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone already or not ours
    }
  }
  return killed;
}

/** Pids of processes (not this one or its ancestors) carrying KILLDRILL_RUN_ID=runId. */
export function runProcesses(runId: string): number[] {
  const skip = ancestors();
  return processes().filter((p) => p.env.get('KILLDRILL_RUN_ID') === runId && !skip.has(p.pid)).map((p) => p.pid);
}

/** SIGKILL every process of this run (except this process and its ancestors). Returns the pids killed. */
export function reapRun(runId: string): number[] {
  return killAll(runProcesses(runId));
}

/** SIGKILL every fleet process whose owning `sim up` is gone. Returns the pids killed. */
export function reapOrphans(): number[] {
  const skip = ancestors();
  const orphans = processes().filter((p) => {
    const tag = p.env.get(OWNER_ENV);
    return tag !== undefined && !skip.has(p.pid) && !ownerAlive(tag);
  });
  return killAll(orphans.map((p) => p.pid));
}

/**
 * Whole runs whose harness is gone: every process carrying `<envName>=<pid>:<starttime>` of a
 * process that no longer exists names a dead harness; every process of those runs (found by
 * KILLDRILL_RUN_ID, the `sim up` itself included) is SIGKILLed. Repeats while it finds any, so a
 * process a dying supervisor spawned mid-scan is caught too. Returns the run ids and pids killed.
 */
export function reapDeadRuns(envName: string): { runIds: string[]; pids: number[] } {
  const skip = ancestors();
  const runIds = new Set<string>();
  const pids: number[] = [];
  for (let round = 0; round < 5; round++) {
    const all = processes();
    for (const p of all) {
      const tag = p.env.get(envName);
      if (tag !== undefined && !skip.has(p.pid) && !ownerAlive(tag)) runIds.add(p.env.get('KILLDRILL_RUN_ID')!);
    }
    const victims = all.filter((p) => runIds.has(p.env.get('KILLDRILL_RUN_ID')!) && !skip.has(p.pid)).map((p) => p.pid);
    if (!victims.length) break;
    pids.push(...killAll(victims));
  }
  return { runIds: [...runIds], pids };
}
