// A host supervisor (docs/contracts.md §4): daemons by name, restart policies, an event log.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Daemon, type DaemonDef } from './daemon-process.ts';
import { HttpError } from '../orchestrator/http-util.ts';
import { nowMs } from '../clock.ts';

export interface SupervisorEvent {
  seq: number;
  at: number;
  daemon: string;
  event: 'start' | 'exit';
  pid: number;
  code?: number | null;
  signal?: string | null;
}

const MAX_EVENTS = 10_000;
const NAME_RE = /^[A-Za-z0-9_.-]{1,100}$/;

export class Supervisor {
  readonly host: string;
  private readonly logDir: string;
  private graceMs: number;
  private readonly daemons = new Map<string, Daemon>();
  private readonly events: SupervisorEvent[] = [];
  private seq = 0;

  constructor(host: string, logDir: string, graceMs = 10_000) {
    this.host = host;
    this.logDir = logDir;
    this.graceMs = graceMs;
  }

  /** SIGTERM-to-SIGKILL grace for every later stop. */
  setGrace(ms: number): void {
    this.graceMs = ms;
  }

  private record(e: Omit<SupervisorEvent, 'seq' | 'at'>): void {
    this.events.push({ seq: ++this.seq, at: nowMs(), ...e });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  list() {
    return [...this.daemons.values()].map((d) => d.info());
  }

  eventsAfter(after: number) {
    const events = this.events.filter((e) => e.seq > after);
    return { events, next: this.seq };
  }

  /** Validate a POST /daemons body and load + start the daemon. */
  load(body: unknown) {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'POST /daemons needs a JSON object {name, module, args?, env?, keepAlive, tags?}');
    const unknown = Object.keys(b).filter((k) => !['name', 'module', 'args', 'env', 'keepAlive', 'tags'].includes(k));
    if (unknown.length) throw new HttpError(400, `unknown field(s) ${unknown.join(', ')}; allowed: name, module, args, env, keepAlive, tags`);
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) throw new HttpError(400, "'name' must be a daemon name (letters, digits, . _ -)");
    if (typeof b.module !== 'string' || !/\.(ts|js|mjs)$/.test(b.module)) throw new HttpError(400, "'module' must be the path of a Node module (.ts, .js, .mjs)");
    if (!existsSync(b.module)) throw new HttpError(422, `module ${b.module} does not exist; give the path of the daemon's main module`);
    const args = b.args ?? [];
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new HttpError(400, "'args' must be an array of strings");
    const env = b.env ?? {};
    if (typeof env !== 'object' || env === null || Array.isArray(env) || !Object.values(env).every((v) => typeof v === 'string')) throw new HttpError(400, "'env' must be an object of string values");
    if (b.keepAlive !== true && b.keepAlive !== false && b.keepAlive !== 'on-failure') throw new HttpError(400, "'keepAlive' must be true, false or \"on-failure\"");
    const tags = b.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) throw new HttpError(400, "'tags' must be an array of strings");
    if (this.daemons.has(b.name)) throw new HttpError(409, `daemon '${b.name}' is already loaded on host ${this.host}; stop or start it instead`);
    const def: DaemonDef = { name: b.name, module: b.module, args: args as string[], env: env as Record<string, string>, keepAlive: b.keepAlive, tags: tags as string[] };
    const d = new Daemon(def, this.host, join(this.logDir, `${def.name}.log`), {
      onStart: (x, pid) => this.record({ daemon: x.def.name, event: 'start', pid }),
      onExit: (x, pid, exit) => this.record({ daemon: x.def.name, event: 'exit', pid, code: exit.code, signal: exit.signal }),
    });
    this.daemons.set(def.name, d);
    d.start();
    return d.info();
  }

  private need(name: string): Daemon {
    const d = this.daemons.get(name);
    if (!d) throw new HttpError(404, `host ${this.host} has no daemon '${name}'; GET /daemons lists them`);
    return d;
  }

  /** Like `launchctl stop`: ok even when this host has no such daemon. */
  async stop(name: string) {
    const d = this.daemons.get(name);
    if (!d) return { ok: true };
    const r = await d.stop(this.graceMs);
    return { ok: true, name, ...r };
  }

  /** Stop and keep it down (no KeepAlive restart) until `start`. Unknown daemon → 404 (unlike stop). */
  async disable(name: string) {
    const r = await this.need(name).disable(this.graceMs);
    return { ok: true, name, disabled: true, ...r };
  }

  start(name: string) {
    const d = this.need(name);
    const wasRunning = d.pid !== null;
    d.start();
    return { ok: true, name, pid: d.pid, alreadyRunning: wasRunning };
  }

  async kill(name: string) {
    const r = await this.need(name).kill();
    return { ok: true, name, ...r };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.daemons.values()].map((d) => d.shutdown(this.graceMs)));
  }
}
