// The broker's view of the flag store (docs/contracts.md §2), over the `broker-redis` link.
// Writers SET/DEL then PUBLISH in one MULTI; an unreachable Redis is a 503 naming Redis,
// never a false success (no offline queue, no silent retries).
import { Redis } from 'ioredis';
import { eventsChannel, killKey, parseKillValue, phaseHashKey, type KillValue, type Mode, type Scope } from '../model.ts';
import { killEventJson } from '../../contracts/index.ts';
import type { HostPort } from '../fleet-file.ts';
import { HttpError } from './http-io.ts';

/** How long a request waits for a (re)connecting Redis before answering 503. */
const READY_GRACE_MS = 1000;

export interface EngagedKey {
  key: string;
  scope: string;
  target: string;
  mode: Mode;
  reason: string;
  at: number | null;
}

export interface PhaseEntry {
  phase: string;
  at: number | null;
}

export class KillStore {
  readonly prefix: string;
  readonly address: string;
  private readonly redis: Redis;
  private readonly defaultMode: Mode;
  private lastError = '';

  constructor(addr: HostPort, prefix: string, defaultMode: Mode) {
    this.prefix = prefix;
    this.defaultMode = defaultMode;
    this.address = `${addr.host}:${addr.port}`;
    this.redis = new Redis({
      host: addr.host,
      port: addr.port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 3000,
      retryStrategy: () => 200,
      lazyConnect: false,
    });
    this.redis.on('error', (e: Error) => {
      const msg = e.message;
      if (msg !== this.lastError) process.stderr.write(`killdrill: broker: Redis at ${this.address}: ${msg} (reconnecting every 200 ms)\n`);
      this.lastError = msg;
    });
    this.redis.on('ready', () => {
      this.lastError = '';
    });
  }

  key(scope: Scope, target: string): string {
    return killKey(this.prefix, scope, target);
  }

  private unavailable(err: unknown): HttpError {
    const why = err instanceof Error ? err.message : String(err);
    return new HttpError(503, `Redis (the flag store, link broker-redis at ${this.address}) is unreachable: ${why}; nothing was changed there — retry when Redis is back, or use another kill path`);
  }

  /** Waits for the connection to be ready, at most `timeoutMs`; false if it is not. */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(t);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const t = setTimeout(() => done(false), timeoutMs);
      this.redis.on('ready', onReady);
    });
  }

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    // A (re)connect in progress gets a short grace; a Redis that stays away is a prompt 503.
    if (!(await this.whenReady(READY_GRACE_MS))) throw this.unavailable(new Error(`not connected (${this.redis.status})`));
    try {
      return await fn();
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  /** SET key value [PX ttl] then PUBLISH engage, atomically. */
  async engage(key: string, value: KillValue, at: number): Promise<void> {
    const raw = JSON.stringify(value);
    await this.run(async () => {
      const m = this.redis.multi();
      if (value.ttlS) m.set(key, raw, 'PX', Math.max(1, Math.round(value.ttlS * 1000)));
      else m.set(key, raw);
      m.publish(eventsChannel(this.prefix), killEventJson({ op: 'engage', key, value: raw, at }));
      const res = await m.exec();
      const failed = res?.find(([e]) => e);
      if (!res || failed) throw failed?.[0] ?? new Error('transaction aborted');
    });
  }

  /** DEL key then PUBLISH release, atomically. Returns whether the key existed. */
  async release(key: string, at: number): Promise<boolean> {
    return this.run(async () => {
      const res = await this.redis.multi().del(key).publish(eventsChannel(this.prefix), killEventJson({ op: 'release', key, at })).exec();
      const failed = res?.find(([e]) => e);
      if (!res || failed) throw failed?.[0] ?? new Error('transaction aborted');
      return Number(res[0][1]) > 0;
    });
  }

  /** Every engaged kill key (SCAN `<prefix>:*`). */
  async engaged(): Promise<EngagedKey[]> {
    return this.run(async () => {
      const keys = new Set<string>();
      let cursor = '0';
      do {
        const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
        for (const k of batch) keys.add(k);
        cursor = next;
      } while (cursor !== '0');
      const list = [...keys].sort();
      if (list.length === 0) return [];
      const values = await this.redis.mget(...list);
      const out: EngagedKey[] = [];
      list.forEach((key, i) => {
        const v = parseKillValue(values[i], this.defaultMode);
        if (!v) return;
        const rest = key.slice(this.prefix.length + 1);
        const c = rest.indexOf(':');
        out.push({
          key,
          scope: c < 0 ? rest : rest.slice(0, c),
          target: c < 0 ? '' : rest.slice(c + 1),
          mode: v.mode,
          reason: v.reason,
          at: typeof v.at === 'number' ? v.at : null,
        });
      });
      return out;
    });
  }

  /** The current phase of every bot that reported one (hash `<namespace>:phase`). */
  async phases(): Promise<Map<string, PhaseEntry>> {
    return this.run(async () => {
      const h = await this.redis.hgetall(phaseHashKey(this.prefix));
      const out = new Map<string, PhaseEntry>();
      for (const [slug, raw] of Object.entries(h)) {
        try {
          const v = JSON.parse(raw) as { phase?: unknown; at?: unknown };
          out.set(slug, { phase: typeof v.phase === 'string' ? v.phase : 'Unknown', at: typeof v.at === 'number' ? v.at : null });
        } catch {
          out.set(slug, { phase: 'Unknown', at: null });
        }
      }
      return out;
    });
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
