// The processes of a benchmark's fleet, found by KILLDRILL_RUN_ID in /proc: which component
// each is, their memory and their CPU time.
import { readdirSync, readFileSync } from 'node:fs';

/** The component a process of the run is, from its argv (daemons summed under `daemon`). */
export function componentOf(pid: string): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  // A bundled fleet process (fleet-sim/orchestrator/bundle.ts) runs killdrill-bundles/<dir>-<file>-<hash>.mjs.
  const bundled = argv.map((a) => /killdrill-bundles\/([a-z-]+?)-[0-9a-f]{8}(?:-[0-9a-f]{16})?\.mjs$/.exec(a)?.[1]).find(Boolean);
  if (bundled) return bundled.replace(/-main$/, '');
  const mod = argv.find((a) => /\/(fleet-sim|fault-proxy|harness)\/.*\.(ts|sh)$/.test(a) && !a.endsWith('parent-watch.ts')) ?? argv[0];
  if (mod.includes('redis-server')) return 'redis-server';
  return mod.replace(/^.*\/(fleet-sim|fault-proxy|harness)\//, '').replace(/\/main\.ts$|\.ts$/, '').replace(/^main$/, 'fault-proxy');
}

/** Every process of the run (found by KILLDRILL_RUN_ID, and the children of those: redis-server hides its environment). */
export function runPids(runId: string): string[] {
  const mine = new Set<string>();
  const parent = new Map<string, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(d, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (readFileSync(`/proc/${d}/environ`, 'latin1').includes(`KILLDRILL_RUN_ID=${runId}\0`)) mine.add(d);
    } catch {
      // the process ended while we looked
    }
  }
  for (const [pid, ppid] of parent) if (mine.has(ppid)) mine.add(pid);
  return [...mine];
}

/**
 * Memory of the run's processes by component, in bytes. `rss` from /proc/PID/statm (a counter
 * read: cheap). `pss` from smaps_rollup, which walks every mapping of the process under its
 * mmap lock (~5 ms for a node process), so only when asked. Every node process maps the same
 * ~48 MB of node binary and compile cache: summed RSS counts those shared pages once per
 * process, summed PSS divides them among the processes that share them.
 */
export function runMem(pids: string[], withPss: boolean): { rss: Map<string, number>; pss: Map<string, number> } {
  const rss = new Map<string, number>();
  const pss = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const page = 4096;
  for (const d of pids) {
    try {
      const c = componentOf(d);
      add(rss, c, Number(readFileSync(`/proc/${d}/statm`, 'utf8').split(' ')[1]) * page);
      if (withPss) add(pss, c, Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${d}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024);
    } catch {
      // the process ended while we looked
    }
  }
  return { rss, pss };
}

/** The machine's MemAvailable (/proc/meminfo), in bytes. */
export function memAvailable(): number {
  return Number(/^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? NaN) * 1024;
}

/** CPU seconds (utime+stime) of every process of the run, by component (from its argv). */
export function runCpu(runId: string): Map<string, number> {
  const hz = 100; // USER_HZ on Linux
  const by = new Map<string, number>();
  for (const d of runPids(runId)) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / hz;
      const name = componentOf(d);
      by.set(name, (by.get(name) ?? 0) + cpu);
    } catch {
      // the process ended while we looked
    }
  }
  return by;
}
