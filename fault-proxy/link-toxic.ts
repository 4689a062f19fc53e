// One toxic's instance on one link (one direction of one connection). Behaviour follows
// Toxiproxy 2.12's toxics: each instance decides once (per link, again on update) whether
// it applies, from `toxicity`; its waits are interruptible so removing or updating a toxic
// takes effect at once on data already in flight.
import type { ToxicConfig } from './toxic-spec.ts';
import { createChannelDropFilter, type ChannelDropFilter } from './redis-channel-drop.ts';
import { atDeadline, sleep, sleepUntil } from './deadline.ts';

export interface Chunk {
  data: Buffer;
  /** performance.now() when the chunk arrived at the proxy. */
  at: number;
}

export type Next = (chunk: Chunk) => Promise<void>;

/** What a toxic may do to the connection it sits on. */
export interface ConnectionControl {
  /** Flush what was written, then close both sides (Toxiproxy's stub.Close). */
  close(): void;
  /** Close both sides with TCP RST (SO_LINGER 0). */
  reset(): void;
  readonly closed: boolean;
}

export class LinkToxic {
  config: ToxicConfig;
  /** Whether this toxic applies to this link (toxicity roll). */
  active = false;
  private readonly conn: ConnectionControl;
  private interrupt = new AbortController();
  /** Cancels the armed timeout-toxic close, if any. */
  private cancelTimer: (() => void) | undefined;
  /** limit_data: bytes let through so far (kept across updates, as Toxiproxy does). */
  private bytesTransmitted = 0;
  /** bandwidth: ms of send time owed (Toxiproxy's running `sleep`). */
  private bandwidthDebtMs = 0;
  private resetting = false;
  private channelDrop: ChannelDropFilter | undefined;
  /** Added to a running connection (a live reset_peer closes with FIN, as in Toxiproxy). */
  private readonly live: boolean;

  constructor(config: ToxicConfig, conn: ConnectionControl, live = false) {
    this.config = config;
    this.conn = conn;
    this.live = live;
    this.start();
  }

  private start(): void {
    this.active = this.config.toxicity >= 1 || Math.random() < this.config.toxicity;
    this.interrupt = new AbortController();
    this.bandwidthDebtMs = 0;
    if (!this.active) return;
    if (this.config.type === 'timeout') this.armTimeout();
    if (this.config.type === 'redis_channel_drop') {
      this.channelDrop = createChannelDropFilter(String(this.config.attributes.channel));
    }
  }

  private stop(): void {
    this.interrupt.abort();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private armTimeout(): void {
    const timeoutMs = this.config.attributes.timeout as number;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (timeoutMs > 0) this.cancelTimer = atDeadline(performance.now() + timeoutMs, () => this.conn.close());
  }

  update(config: ToxicConfig): void {
    this.stop();
    this.config = config;
    this.start();
  }

  /**
   * Removal: interrupts waits. A removed timeout closes the connection (Toxiproxy's Cleanup,
   * which runs by type, so also when the toxicity roll left it inactive).
   */
  remove(): void {
    const wasTimeout = this.config.type === 'timeout';
    this.stop();
    this.active = false;
    if (wasTimeout) this.conn.close();
  }

  /** The connection went away: drop timers. */
  dispose(): void {
    this.stop();
  }

  /** Extra delay before passing on an end-of-stream (slow_close). */
  closeDelayMs(): number {
    return this.active && this.config.type === 'slow_close' ? (this.config.attributes.delay as number) : 0;
  }

  async handle(chunk: Chunk, next: Next): Promise<void> {
    if (!this.active || this.interrupt.signal.aborted) return next(chunk);
    const a = this.config.attributes;
    const signal = this.interrupt.signal;
    switch (this.config.type) {
      case 'latency': {
        const jitterMs = a.jitter as number;
        const delayMs = (a.latency as number) + (jitterMs > 0 ? (Math.random() * 2 - 1) * jitterMs : 0);
        // Measured from the chunk's arrival, and never before it (a timer re-checks the deadline).
        await sleepUntil(chunk.at + delayMs, signal);
        return next(chunk);
      }
      case 'bandwidth':
        return this.bandwidth(chunk, next, a.rate as number, signal);
      case 'slicer':
        return this.slicer(chunk, next, signal);
      case 'timeout':
        // Data is dropped on the floor; each chunk restarts the close timer.
        this.armTimeout();
        return;
      case 'reset_peer':
        // First data: wait `timeout` ms, then close; data is dropped. There at accept, the
        // connection has SO_LINGER 0 and the close is a RST; added live, a plain close (FIN).
        if (!this.resetting) {
          this.resetting = true;
          await sleep(a.timeout as number, signal);
          if (!signal.aborted) {
            if (this.live) this.conn.close();
            else this.conn.reset();
          }
        }
        return;
      case 'limit_data': {
        const remaining = Math.max(0, (a.bytes as number) - this.bytesTransmitted);
        const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data;
        if (data.length > 0) {
          this.bytesTransmitted += data.length;
          await next({ data, at: chunk.at });
        }
        if ((a.bytes as number) - this.bytesTransmitted <= 0) this.conn.close();
        return;
      }
      case 'redis_channel_drop': {
        const data = this.channelDrop ? this.channelDrop.filter(chunk.data) : chunk.data;
        if (data.length > 0) await next({ data, at: chunk.at });
        return;
      }
      default:
        return next(chunk);
    }
  }

  private async bandwidth(chunk: Chunk, next: Next, rateKBps: number, signal: AbortSignal): Promise<void> {
    if (rateKBps <= 0) return next(chunk);
    // rate KB/s = rate bytes per ms. Split into 100 ms slices, as Toxiproxy does.
    let data = chunk.data;
    const sliceBytes = rateKBps * 100;
    this.bandwidthDebtMs += data.length / rateKBps;
    while (data.length > sliceBytes) {
      await sleep(100, signal);
      if (signal.aborted) break;
      await next({ data: data.subarray(0, sliceBytes), at: chunk.at });
      data = data.subarray(sliceBytes);
      this.bandwidthDebtMs -= 100;
    }
    if (!signal.aborted) {
      const t0 = performance.now();
      await sleep(this.bandwidthDebtMs, signal);
      this.bandwidthDebtMs -= performance.now() - t0;
    }
    if (data.length > 0) await next({ data, at: chunk.at });
  }

  private async slicer(chunk: Chunk, next: Next, signal: AbortSignal): Promise<void> {
    const a = this.config.attributes;
    const average = a.average_size as number;
    const variation = a.size_variation as number;
    const delayUs = a.delay as number;
    if (average <= 0) return next(chunk);
    let data = chunk.data;
    while (data.length > 0) {
      if (signal.aborted) return next({ data, at: chunk.at });
      const size = Math.max(1, average + Math.round((Math.random() * 2 - 1) * variation));
      const slice = data.subarray(0, size);
      data = data.subarray(slice.length);
      await next({ data: slice, at: chunk.at });
      if (data.length > 0) await sleep(delayUs / 1000, signal);
    }
  }
}
