// Shared by test/faults-*.test.ts: run `killdrill run` as a real child process, read the
// run's history, and find the processes of a run by KILLDRILL_RUN_ID in /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '..', 'cli', 'main.ts');
export const ROOT = join(import.meta.dirname, '..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Op = Record<string, unknown> & { type: string; at?: number };

export interface CliRun {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  code: Promise<number | null>;
}

/** `killdrill <args>` as a child process (cwd = repo root). */
export function killdrill(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { child, out: () => out, err: () => err, code };
}

/** Write a scenario to a temp dir; returns its path and an out dir next to it. */
export function scenarioFile(name: string, yaml: string): { file: string; outDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'killdrill-faults-'));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return { file, outDir: join(dir, 'out') };
}

/** The run directories under `<outDir>/runs/`, oldest first. */
export function runDirs(outDir: string): string[] {
  try {
    return readdirSync(join(outDir, 'runs')).sort().map((d) => join(outDir, 'runs', d));
  } catch {
    return [];
  }
}

export function readOps(runDir: string): Op[] {
  return readFileSync(join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Op];
      } catch {
        return []; // a line torn by a SIGKILL mid-write
      }
    });
}

export function runIdOf(runDir: string): string {
  return runDir.split('/').pop()!;
}

/**
 * Pids of live processes of the run: those whose environment carries KILLDRILL_RUN_ID=runId, and
 * those working inside the run's directory (redis-server overwrites its own environ when it sets
 * its process title, so only its working directory, <runDir>/fleet/redis, gives it away).
 */
export function runPids(runId: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      let inRunDir = false;
      try {
        inRunDir = readlinkSync(`/proc/${d}/cwd`).includes(`/${runId}/`);
      } catch {
        // not ours to read
      }
      if (env.includes(`KILLDRILL_RUN_ID=${runId}`) || inRunDir) {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') out.push(Number(d));
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Waits until no process of the run is left (or the timeout); returns what is left. */
export async function noneLeft(runId: string, timeoutMs: number): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  let left = runPids(runId);
  while (left.length && Date.now() < end) {
    await sleep(200);
    left = runPids(runId);
  }
  return left;
}

/** Waits until `pred` is true, polling; throws with `what` on timeout. */
export async function until<T>(what: string, fn: () => T | null | undefined | false, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** `killdrill sim up --json` as a child (stdin a pipe: closing it stops the fleet). Resolves its endpoints line. */
export function simUp(config: Record<string, unknown>, runId: string) {
  const dir = mkdtempSync(join(tmpdir(), 'killdrill-faults-sim-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
  const child = spawn(process.execPath, [CLI, 'sim', 'up', '--json', '--config', file], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KILLDRILL_RUN_ID: runId } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
    });
    void exited.then((code) => reject(new Error(`sim up exited ${code}: ${stderr}`)));
  });
  line.catch(() => {});
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { child, line, exited, stop, stderr: () => stderr };
}
