// The last-resort path (seed 000): SET the kill key directly in Redis, as the
// runbook's `redis-cli SET` does — no publish, so the bots' polling must catch it.
import { Redis } from 'ioredis';
import { killKey, nowMs, DEFAULT_KEY_PREFIX, type Scope } from '../../contracts/index.ts';
import { describeError } from '../../lib/http.ts';
import type { KillPath, LeverRequest, LeverEvent } from './types.ts';
import type { TargetEndpoints } from '../runtime/index.ts';

async function withRedis<T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, enableOfflineQueue: false });
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

function keyOf(req: LeverRequest, prefix: string): string {
  return killKey(prefix, req.scope as Scope, req.scope === 'platform' ? 'platform' : req.target);
}

async function act(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void, release: boolean, prefix: string) {
  const key = keyOf(req, prefix);
  emit({ type: 'lever-issued', at: nowMs(), detail: { command: release ? 'DEL' : 'SET', key } });
  try {
    const reply = await withRedis(fleet.redisUrl, (r) =>
      release ? r.del(key).then(String) : r.set(key, JSON.stringify({ mode: req.mode, reason: req.reason, ...(req.queue ? { queue: req.queue } : {}), by: 'killdrill', at: Date.now() })).then(String),
    );
    const at = nowMs();
    const ok = release || reply === 'OK';
    emit({ type: 'lever-ack', at, ok, detail: { key, reply } });
    if (ok) emit({ type: 'lever-engaged', at, detail: { key } });
    else emit({ type: 'lever-failed', at, error: `killdrill: Redis answered ${reply} to SET ${key}` });
  } catch (err) {
    emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: Redis ${release ? 'DEL' : 'SET'} ${key} failed: ${describeError(err)}` });
  }
}

export function redisPath(prefix = DEFAULT_KEY_PREFIX): KillPath {
  return {
    name: 'redis',
    engage: (fleet, req, emit) => act(fleet, req, emit, false, prefix),
    release: (fleet, req, emit) => act(fleet, req, emit, true, prefix),
  };
}
