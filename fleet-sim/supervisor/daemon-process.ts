// One daemon under a host supervisor (docs/contracts.md §4): a Node process with a
// launchd-like restart policy. `stop` only signals; the policy decides what happens next,
// exactly like `launchctl stop` on a KeepAlive job.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import type { KeepAlive } from '../presets/index.ts';
import { nodeArgv } from '../orchestrator/paths.ts';
import { nowMs } from '../clock.ts';

export interface DaemonDef {
  name: string;
  module: string;
  args: string[];
  env: Record<string, string>;
  keepAlive: KeepAlive;
  tags: string[];
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  at: number;
}

export interface DaemonEvents {
  onStart(d: Daemon, pid: number): void;
  onExit(d: Daemon, pid: number, exit: ExitInfo): void;
}

const RESTART_DELAY_MS = 200;
const MAX_RESTART_DELAY_MS = 10_000;
/** A run shorter than this counts towards the crash-loop backoff. */
const QUICK_EXIT_MS = 2000;

export class Daemon {
  readonly def: DaemonDef;
  readonly host: string;
  private readonly logFile: string;
  private readonly events: DaemonEvents;
  child: ChildProcess | null = null;
  state: 'running' | 'stopped' | 'exited' = 'stopped';
  starts = 0;
  lastExit: ExitInfo | null = null;
  private startedAt = 0;
  private quickExits = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private exitWaiters: Array<() => void> = [];
  /** Set while the supervisor shuts down: never restart. */
  private shuttingDown = false;
  /** The current exit was asked for (stop): reported as 'stopped', not 'exited'. */
  private stopRequested = false;
  /** Stopped by `disable` (the fleet's control API): no restart, whatever the policy, until the next start. */
  private disabled = false;

  constructor(def: DaemonDef, host: string, logFile: string, events: DaemonEvents) {
    this.def = def;
    this.host = host;
    this.logFile = logFile;
    this.events = events;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  info() {
    return { name: this.def.name, host: this.host, pid: this.pid, state: this.state, keepAlive: this.def.keepAlive, starts: this.starts, lastExit: this.lastExit, tags: this.def.tags };
  }

  /** Start it if it is not running (cancels a pending restart). */
  start(): void {
    this.disabled = false;
    this.cancelRestart();
    if (this.child) return;
    const fd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, nodeArgv(this.def.module, this.def.args), {
        stdio: ['pipe', fd, fd],
        env: { ...process.env, ...this.def.env },
      });
    } finally {
      closeSync(fd);
    }
    child.stdin?.on('error', () => {});
    this.child = child;
    this.state = 'running';
    this.starts++;
    this.startedAt = Date.now();
    const pid = child.pid ?? -1;
    child.once('error', () => {});
    child.once('exit', (code, signal) => this.exited(child, pid, code, signal));
    this.events.onStart(this, pid);
  }

  private exited(child: ChildProcess, pid: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.lastExit = { code, signal, at: nowMs() };
    this.state = this.stopRequested ? 'stopped' : 'exited';
    this.stopRequested = false;
    this.events.onExit(this, pid, this.lastExit);
    for (const w of this.exitWaiters.splice(0)) w();
    const failed = code !== 0 || signal !== null;
    const restart = !this.shuttingDown && !this.disabled && (this.def.keepAlive === true || (this.def.keepAlive === 'on-failure' && failed));
    if (!restart) return;
    this.quickExits = Date.now() - this.startedAt < QUICK_EXIT_MS ? this.quickExits + 1 : 0;
    // Crash-loop guard: 200 ms, then doubling per quick exit, capped at 10 s (launchd throttles too).
    const delay = Math.min(MAX_RESTART_DELAY_MS, RESTART_DELAY_MS * 2 ** Math.max(0, this.quickExits - 1));
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.shuttingDown && !this.child) this.start();
    }, delay);
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.child) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.exitWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** SIGTERM (and SIGCONT, in case it is paused), wait up to graceMs, then SIGKILL. */
  async stop(graceMs: number): Promise<{ pid: number | null; signal: string | null; exit: ExitInfo | null }> {
    const child = this.child;
    if (!child) {
      this.cancelRestart();
      if (this.state === 'running') this.state = 'stopped';
      return { pid: null, signal: null, exit: this.lastExit };
    }
    const pid = child.pid ?? null;
    this.stopRequested = true;
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    let signal = 'SIGTERM';
    if (!(await this.waitExit(graceMs))) {
      signal = 'SIGKILL';
      child.kill('SIGKILL');
      await this.waitExit(5000);
    }
    return { pid, signal, exit: this.lastExit };
  }

  /**
   * Stop and stay down until the next start, whatever the restart policy (like
   * `launchctl bootout`/`disable`, not `launchctl stop`): what "the operator is down" means.
   */
  async disable(graceMs: number): Promise<{ pid: number | null; signal: string | null; exit: ExitInfo | null }> {
    this.disabled = true;
    this.cancelRestart();
    return this.stop(graceMs);
  }

  /** SIGKILL: the restart policy applies (a SIGKILL is a failure). */
  async kill(): Promise<{ pid: number | null; signal: string }> {
    const child = this.child;
    if (!child) return { pid: null, signal: 'SIGKILL' };
    const pid = child.pid ?? null;
    child.kill('SIGKILL');
    await this.waitExit(5000);
    return { pid, signal: 'SIGKILL' };
  }

  /** Supervisor shutdown: stop for good, no restarts. */
  async shutdown(graceMs: number): Promise<void> {
    this.shuttingDown = true;
    this.cancelRestart();
    await this.stop(graceMs);
    this.state = 'stopped';
  }
}
