// `killdrill sim up --json` as a child process, for the end-to-end tests: the config file in
// a fresh temp dir, the first stdout line (the fleet's endpoints) as a promise that rejects
// with sim up's stderr when it exits first, and the processes of a run found by run id.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');

export interface SimUpChild<L> {
  child: ChildProcessWithoutNullStreams;
  /** The `--json` line; rejects when sim up exits before printing it. */
  line: Promise<L>;
  exited: Promise<number | null>;
  stderr(): string;
  /** The temp dir holding config.json and the fleet's data dir (`data`). */
  dir: string;
}

export interface SimUpChildOptions {
  /** KILLDRILL_RUN_ID of the fleet (none: sim up makes one). */
  runId?: string;
  /** Extra arguments, e.g. ['--runtime', 'docker']. */
  args?: string[];
  /** The environment (default process.env); KILLDRILL_RUN_ID is added. */
  env?: NodeJS.ProcessEnv;
  /** Prefix of the temp dir. */
  tmpPrefix?: string;
  /** Write config.json and the data dir here instead of a fresh temp dir. */
  dir?: string;
  /** In its own process group (`process.kill(-pid)` stops the fleet it starts). */
  detached?: boolean;
  /** Also copy sim up's stderr to this process's stderr as it comes. */
  echoStderr?: boolean;
}

export function simUpChild<L>(config: Record<string, unknown>, o: SimUpChildOptions = {}): SimUpChild<L> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), o.tmpPrefix ?? 'killdrill-simtest-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
  const child = spawn(process.execPath, [CLI, 'sim', 'up', '--json', '--config', file, ...(o.args ?? [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: o.detached ?? false,
    env: { ...(o.env ?? process.env), ...(o.runId ? { KILLDRILL_RUN_ID: o.runId } : {}) },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (o.echoStderr) process.stderr.write(d);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = new Promise<L>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (l) => resolve(JSON.parse(l) as L));
    void exited.then((code) => reject(new Error(`sim up exited ${code}: ${stderr}`)));
  });
  line.catch(() => {}); // tests that expect an early exit never read the line
  return { child, line, exited, stderr: () => stderr, dir };
}

/** Pids of the processes whose environment carries KILLDRILL_RUN_ID=<runId>. */
export function runPids(runId: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(`KILLDRILL_RUN_ID=${runId}`)) out.push(Number(d));
    } catch {
      // gone or not ours
    }
  }
  return out;
}
