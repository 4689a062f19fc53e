// Writes bot phase transitions (contracts §2): XADD to the phase stream and HSET of the
// phase hash, batched in one MULTI per event-loop turn on the poller connection. While
// Redis is unreachable transitions stay buffered and are flushed later with their original `at`.
import type { Redis } from 'ioredis';
import type { PhaseEntry } from '../../contracts/index.ts';

/** A phase transition: the stream entry's fields (contracts/records.ts; the harness reads them back). */
export type { PhaseEntry };

const RETRY_MS = 200;

interface Queued {
  e: PhaseEntry;
  /** Only re-assert the hash field (after Redis came back possibly empty), no stream entry. */
  hashOnly: boolean;
}

export class PhaseWriter {
  private queue: Queued[] = [];
  private latest = new Map<string, PhaseEntry>();
  private inFlight = false;
  private scheduled = false;
  private readonly redis: Redis;
  private readonly stream: string;
  private readonly hash: string;

  constructor(redis: Redis, stream: string, hash: string) {
    this.redis = redis;
    this.stream = stream;
    this.hash = hash;
  }

  get pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  push(e: PhaseEntry): void {
    this.latest.set(e.slug, e);
    this.queue.push({ e, hashOnly: false });
    this.schedule(0);
  }

  /** Re-writes every bot's current phase into the hash (a restarted Redis has lost it). */
  refreshHash(): void {
    for (const e of this.latest.values()) this.queue.push({ e, hashOnly: true });
    this.schedule(0);
  }

  /** Resolves when everything is written, or after `ms`. */
  async settle(ms: number): Promise<boolean> {
    const t0 = Date.now();
    while (this.pending > 0 && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 10));
    return this.pending === 0;
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = true;
    try {
      const m = this.redis.multi();
      for (const { e, hashOnly } of batch) {
        if (!hashOnly) m.xadd(this.stream, '*', 'slug', e.slug, 'phase', e.phase, 'at', String(e.at), 'from', e.from, 'reason', e.reason, 'host', e.host, 'daemon', e.daemon, 'pid', String(e.pid));
        m.hset(this.hash, e.slug, JSON.stringify(e));
      }
      const res = await m.exec();
      if (!res || res.some(([err]) => err)) throw new Error('killdrill: phase write failed');
      this.inFlight = false;
      if (this.queue.length) this.schedule(0);
    } catch {
      this.queue = batch.concat(this.queue);
      this.inFlight = false;
      this.schedule(RETRY_MS);
    }
  }
}
