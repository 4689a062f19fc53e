// Reads the bots' phase stream (Redis Stream, docs/contracts.md §2) into `phase` ops.
import { Redis } from 'ioredis';
import { phaseStreamKey, type PhaseStreamFields } from '../../contracts/index.ts';
import type { Emit } from './emit.ts';

export interface PhaseObserver {
  /** Current phase per bot, as seen so far. */
  phases: Map<string, string>;
  stop(): Promise<void>;
  /** Read whatever is in the stream now, then return. */
  drain(): Promise<void>;
}

export function observePhases(redisUrl: string, keyPrefix: string, emit: Emit, onError: (e: unknown) => void, onOk: () => void = () => {}): PhaseObserver {
  const key = phaseStreamKey(keyPrefix);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 200, lazyConnect: false });
  redis.on('error', () => {}); // reconnects on its own; read errors surface in readOnce
  const phases = new Map<string, string>();
  const seen = new Set<string>();
  let lastId = '0';
  let stopped = false;

  const handle = (entries: Array<[string, string[]]>) => {
    for (const [id, fields] of entries) {
      lastId = id;
      // The fields of a PhaseEntry (contracts/records.ts), as strings.
      const f = {} as PhaseStreamFields;
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as keyof PhaseStreamFields] = fields[i + 1];
      // A Redis restart empties the stream and bots re-flush: never record a transition twice.
      const dedupe = `${f.slug}|${f.phase}|${f.at}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      phases.set(f.slug, f.phase);
      emit({
        type: 'phase',
        slug: f.slug,
        phase: f.phase,
        at: Number(f.at),
        from: f.from || null,
        reason: f.reason || null,
        host: f.host,
        daemon: f.daemon,
      });
    }
  };

  const readOnce = async (blockMs: number | null) => {
    const reply = (blockMs === null
      ? await redis.xread('COUNT', 5000, 'STREAMS', key, lastId)
      : await redis.xread('COUNT', 5000, 'BLOCK', blockMs, 'STREAMS', key, lastId)) as Array<[string, Array<[string, string[]]>]> | null;
    if (reply) for (const [, entries] of reply) handle(entries);
    return reply ? reply.reduce((n, [, e]) => n + e.length, 0) : 0;
  };

  let lastStreamLen = 0;
  const loop = (async () => {
    // The connection is still being made: a read now would fail for nothing (up to 2 s, then it counts).
    for (let i = 0; i < 40 && !stopped && redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
    while (!stopped) {
      try {
        // Detect a restarted (emptied) Redis: the stream got shorter, read it again from the start.
        const len = await redis.xlen(key);
        if (len < lastStreamLen) lastId = '0';
        lastStreamLen = len;
        await readOnce(250);
        onOk();
      } catch (err) {
        if (!stopped) onError(err);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();

  return {
    phases,
    async drain() {
      try {
        while ((await readOnce(null)) > 0) {}
        onOk();
      } catch (err) {
        onError(err);
      }
    },
    async stop() {
      stopped = true;
      await loop;
      redis.disconnect();
    },
  };
}
