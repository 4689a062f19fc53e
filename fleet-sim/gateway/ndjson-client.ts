// A persistent, pipelined NDJSON client (contracts §5): many requests in flight on one
// TCP connection, replies matched by id, writes coalesced per event-loop turn.
// Reconnects on its own; a request made while disconnected fails at once (not sent),
// a request in flight when the connection drops fails as `sent` (its fate is unknown).
import { connect, type Socket } from 'node:net';
import { parseObject, readLines } from './ndjson.ts';

export type ClientResult =
  | { ok: true; reply: Record<string, unknown> }
  | { ok: false; error: string; sent: boolean };

interface Pending {
  resolve: (r: ClientResult) => void;
  /** When it fails as unanswered (ms since the epoch; Infinity: never). */
  deadline: number;
}

/** How often unanswered requests are swept (one interval per client, not a timer per request). */
const SWEEP_MS = 100;

export interface NdjsonClientOptions {
  host: string;
  port: number;
  name: string;
  timeoutMs?: number;
  reconnectMs?: number;
  /** Called when the connection goes up (true) or down (false). */
  onState?: (up: boolean) => void;
  /** Called right before bytes are written (the journal flushes its intents here). */
  beforeWrite?: () => void;
}

export class NdjsonClient {
  private socket: Socket | null = null;
  private up = false;
  private closed = false;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private out: string[] = [];
  private flushScheduled = false;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly opts: Required<Omit<NdjsonClientOptions, 'onState' | 'beforeWrite'>> & Pick<NdjsonClientOptions, 'onState' | 'beforeWrite'>;

  constructor(opts: NdjsonClientOptions) {
    this.opts = { timeoutMs: 5000, reconnectMs: 100, ...opts };
    this.dial();
  }

  get connected(): boolean {
    return this.up;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves when connected (or after `ms`, to whatever state). */
  waitConnected(ms: number): Promise<boolean> {
    if (this.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t0 = Date.now();
      const check = () => (this.up || Date.now() - t0 >= ms ? resolve(this.up) : setTimeout(check, 10));
      check();
    });
  }

  /** Sends `body` with a fresh id (the body's own id is replaced) and resolves with the reply. */
  request(body: Record<string, unknown>): Promise<ClientResult> {
    if (!this.up || !this.socket) return Promise.resolve({ ok: false, error: `killdrill: not connected to ${this.opts.name}`, sent: false });
    const id = this.nextId++;
    this.out.push(JSON.stringify({ ...body, id }));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, deadline: this.opts.timeoutMs > 0 ? Date.now() + this.opts.timeoutMs : Infinity });
      if (!this.sweeper && this.opts.timeoutMs > 0) this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    });
  }

  /** Fails the requests past their deadline (pending is in send order, so it stops at the first one that is not). */
  private sweep(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) {
      if (p.deadline > now) break;
      this.pending.delete(id);
      p.resolve({ ok: false, error: `killdrill: ${this.opts.name} did not answer within ${this.opts.timeoutMs} ms`, sent: true });
    }
    if (this.pending.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  /** Writes everything queued so far in one socket write. */
  flush(): void {
    this.flushScheduled = false;
    if (!this.out.length || !this.socket) return;
    const text = `${this.out.join('\n')}\n`;
    this.out = [];
    this.opts.beforeWrite?.();
    this.socket.write(text);
  }

  close(): void {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.socket?.destroy();
    this.failAll('closed');
  }

  private dial(): void {
    if (this.closed) return;
    const s = connect({ host: this.opts.host, port: this.opts.port, noDelay: true });
    this.socket = s;
    s.setKeepAlive(true, 1000);
    s.on('connect', () => {
      this.up = true;
      this.opts.onState?.(true);
    });
    s.on('error', () => {});
    s.on('close', () => {
      const wasUp = this.up;
      this.up = false;
      this.socket = null;
      this.out = [];
      this.failAll('connection lost');
      if (wasUp) this.opts.onState?.(false);
      if (!this.closed) setTimeout(() => this.dial(), this.opts.reconnectMs);
    });
    readLines(
      s,
      (lines) => {
        for (const line of lines) {
          const o = parseObject(line);
          if (!o || typeof o.id !== 'number') continue;
          const p = this.pending.get(o.id);
          if (!p) continue;
          this.pending.delete(o.id);
          p.resolve({ ok: true, reply: o });
        }
      },
      () => s.destroy(),
    );
  }

  private failAll(why: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      p.resolve({ ok: false, error: `killdrill: ${this.opts.name}: ${why}`, sent: true });
    }
  }
}
