// One direction of a proxied connection: bytes from `source` to `dest` through the chain
// of toxics for that stream. With no applicable toxic, data is written straight through
// (only socket backpressure); otherwise chunks are queued and pumped through the chain
// one at a time, in arrival order. When the source ends (EOF, close, or the other
// direction closed it), what is queued is still delivered, then `onEnded` (the connection
// closes dest fully, as Toxiproxy's link does: no half-close).
import type { Socket } from 'node:net';
import { LinkToxic, type Chunk, type ConnectionControl } from './link-toxic.ts';
import type { Stream, ToxicConfig } from './toxic-spec.ts';
import { atDeadline } from './deadline.ts';

const QUEUE_HIGH_BYTES = 1 << 20;
const QUEUE_LOW_BYTES = 1 << 18;

export class Link {
  readonly stream: Stream;
  readonly toxics: LinkToxic[] = [];
  private readonly source: Socket;
  private readonly dest: Socket;
  private readonly conn: ConnectionControl;
  private readonly onEnded: () => void;
  private queue: Chunk[] = [];
  private queuedBytes = 0;
  private busy = false;
  private drainPending = false;
  private sourceEnded = false;
  /** dest.end() was called (or dest is gone). */
  ended = false;

  /** `ownReads`: the caller reads `source` itself (a socket with `onread`) and calls `onData`. */
  constructor(source: Socket, dest: Socket, stream: Stream, conn: ConnectionControl, onEnded: () => void, ownReads = false) {
    this.source = source;
    this.dest = dest;
    this.stream = stream;
    this.conn = conn;
    this.onEnded = onEnded;
    if (!ownReads) source.on('data', (data: Buffer) => void this.onData(data));
    source.on('end', () => this.onSourceEnd());
  }

  /** `live`: added to a running connection (not there when it was accepted). */
  addToxic(config: ToxicConfig, live = false): void {
    this.toxics.push(new LinkToxic(config, this.conn, live));
  }

  updateToxic(config: ToxicConfig): void {
    this.toxics.find((t) => t.config.name === config.name)?.update(config);
  }

  removeToxic(name: string): void {
    const i = this.toxics.findIndex((t) => t.config.name === name);
    if (i < 0) return;
    const [toxic] = this.toxics.splice(i, 1);
    toxic.remove();
  }

  dispose(): void {
    for (const t of this.toxics) t.dispose();
  }

  private hasActiveToxic(): boolean {
    for (const t of this.toxics) if (t.active) return true;
    return false;
  }

  /**
   * A chunk read from the source. Returns whether `data` is still referenced once this returns
   * (queued for the toxics, or not yet all written to dest): a caller reading into a reused
   * buffer must then read the next chunk into a new one.
   */
  onData(data: Buffer): boolean {
    if (this.conn.closed || this.sourceEnded) return false;
    if (!this.busy && this.queue.length === 0 && !this.hasActiveToxic()) {
      if (!this.dest.write(data)) this.waitDrainThenResume();
      // Written to the kernel at once (the usual case) or still held by the socket.
      return this.dest.writableLength > 0;
    }
    this.queue.push({ data, at: performance.now() });
    this.queuedBytes += data.length;
    if (this.queuedBytes > QUEUE_HIGH_BYTES) this.source.pause();
    if (!this.busy) void this.pump();
    return true;
  }

  private waitDrainThenResume(): void {
    if (this.drainPending) return;
    this.drainPending = true;
    this.source.pause();
    const done = (): void => {
      this.dest.off('drain', done);
      this.dest.off('close', done);
      this.drainPending = false;
      this.maybeResume();
    };
    this.dest.on('drain', done);
    this.dest.on('close', done);
  }

  private maybeResume(): void {
    if (!this.drainPending && this.queuedBytes < QUEUE_LOW_BYTES && this.source.isPaused() && !this.conn.closed) {
      this.source.resume();
    }
  }

  private write(chunk: Chunk): Promise<void> {
    if (this.dest.destroyed || this.ended) return Promise.resolve();
    if (this.dest.write(chunk.data)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.dest.off('drain', done);
        this.dest.off('close', done);
        resolve();
      };
      this.dest.on('drain', done);
      this.dest.on('close', done);
    });
  }

  private run(chain: LinkToxic[], index: number, chunk: Chunk): Promise<void> {
    if (this.conn.closed) return Promise.resolve();
    if (index >= chain.length) return this.write(chunk);
    return chain[index].handle(chunk, (c) => this.run(chain, index + 1, c));
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.conn.closed) {
        const chunk = this.queue.shift() as Chunk;
        this.queuedBytes -= chunk.data.length;
        this.maybeResume();
        await this.run(this.toxics.slice(), 0, chunk);
      }
    } finally {
      this.busy = false;
    }
    if (this.sourceEnded && !this.conn.closed) void this.finishEnd();
  }

  private onSourceEnd(): void {
    if (this.sourceEnded) return;
    this.sourceEnded = true;
    if (!this.busy && this.queue.length === 0) void this.finishEnd();
  }

  private async finishEnd(): Promise<void> {
    if (this.ended) return;
    let delayMs = 0;
    for (const t of this.toxics) delayMs = Math.max(delayMs, t.closeDelayMs());
    if (delayMs > 0) await new Promise<void>((r) => atDeadline(performance.now() + delayMs, r));
    if (this.ended) return;
    this.ended = true;
    this.onEnded();
  }

  /**
   * The source is gone or closed by the other direction: nothing more is read from it;
   * whatever is queued still gets delivered, then the link ends.
   */
  sourceClosed(): void {
    this.onSourceEnd();
  }
}
