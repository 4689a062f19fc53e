// A process `sim up` starts itself (redis via its guard, proxy, venue, gateway, supervisors):
// stdin a pipe (it dies with us), output to `<dataDir>/logs/<name>.log`, restartable with
// the same command line (so the same port).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface ProcessSpec {
  name: string;
  kind: string;
  host?: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** The process writes `{"pid":N}` on fd 3: that pid is the one to signal (redis under its guard). */
  reportsPid?: boolean;
}

export type ProcState = 'running' | 'paused' | 'stopped' | 'exited';

export class ManagedProcess {
  readonly spec: ProcessSpec;
  private child: ChildProcess | null = null;
  private innerPid: number | null = null;
  state: ProcState = 'stopped';
  lastExit: { code: number | null; signal: string | null } | null = null;
  private exitWaiters: Array<() => void> = [];
  private readonly onSpawn: (p: ManagedProcess, pids: number[]) => void;

  constructor(spec: ProcessSpec, onSpawn: (p: ManagedProcess, pids: number[]) => void) {
    this.spec = spec;
    this.onSpawn = onSpawn;
  }

  /** The pid to signal (the server itself, not its guard). */
  get pid(): number | null {
    if (!this.child) return null;
    return this.innerPid ?? this.child.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const fd = openSync(this.spec.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.spec.command, this.spec.args, {
        stdio: ['pipe', fd, fd, ...(this.spec.reportsPid ? (['pipe'] as const) : [])],
        env: this.spec.env,
      });
    } finally {
      closeSync(fd);
    }
    child.stdin?.on('error', () => {});
    this.child = child;
    this.innerPid = null;
    this.state = 'running';
    child.once('error', () => {});
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      this.innerPid = null;
      this.lastExit = { code, signal };
      if (this.state !== 'stopped') this.state = 'exited';
      for (const w of this.exitWaiters.splice(0)) w();
    });
    if (this.spec.reportsPid) {
      const line = await new Promise<string | null>((resolve) => {
        const rl = createInterface({ input: child.stdio[3] as Readable });
        const t = setTimeout(() => resolve(null), 10_000);
        rl.once('line', (l) => (clearTimeout(t), resolve(l)));
        rl.once('close', () => (clearTimeout(t), resolve(null)));
      });
      try {
        this.innerPid = line ? (JSON.parse(line) as { pid: number }).pid : null;
      } catch {
        this.innerPid = null;
      }
    }
    this.onSpawn(this, [child.pid, this.innerPid].filter((p): p is number => typeof p === 'number'));
  }

  waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.child) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => (clearTimeout(t), resolve(true)));
    });
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === null) return;
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGTERM (+SIGCONT if paused), wait up to graceMs, then SIGKILL. */
  async stop(graceMs: number): Promise<{ pid: number | null; signal: string | null }> {
    const pid = this.pid;
    if (!this.child) {
      this.state = 'stopped';
      return { pid: null, signal: null };
    }
    this.state = 'stopped';
    this.signal('SIGTERM');
    this.signal('SIGCONT');
    if (await this.waitExit(graceMs)) return { pid, signal: 'SIGTERM' };
    this.signal('SIGKILL');
    this.child?.kill('SIGKILL');
    await this.waitExit(5000);
    return { pid, signal: 'SIGKILL' };
  }

  async kill(): Promise<{ pid: number | null; signal: string }> {
    const pid = this.pid;
    this.signal('SIGKILL');
    await this.waitExit(5000);
    return { pid, signal: 'SIGKILL' };
  }

  pause(): { pid: number | null; signal: string } {
    this.signal('SIGSTOP');
    if (this.child) this.state = 'paused';
    return { pid: this.pid, signal: 'SIGSTOP' };
  }

  resume(): { pid: number | null; signal: string } {
    this.signal('SIGCONT');
    if (this.child) this.state = 'running';
    return { pid: this.pid, signal: 'SIGCONT' };
  }
}
