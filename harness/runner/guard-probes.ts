// The guardrail probes of `--guard URL` and `--guard-redis-key KEY` (stop-conditions.ts guard()):
// each answers null while the guardrail is good, else what is wrong.
import { Redis } from 'ioredis';
import { describeError, request } from '../../lib/http.ts';
import type { Probe } from './stop-conditions.ts';

/** Each probe gives up after this long (the guard is probed every second; a slow answer is a bad one). */
export const PROBE_TIMEOUT_MS = 2000;

/** `--guard URL`: a GET that must answer 2xx; another status, or no answer within PROBE_TIMEOUT_MS, is bad. */
export function httpGuardProbe(url: string, timeoutMs = PROBE_TIMEOUT_MS): Probe {
  return async () => {
    try {
      const r = await request(url, { timeoutMs });
      return r.status >= 200 && r.status <= 299 ? null : `GET ${url} answered ${r.status}: ${r.text.slice(0, 200)}`;
    } catch (err) {
      return `GET ${url} did not answer: ${describeError(err)}`;
    }
  };
}

/**
 * `--guard-redis-key KEY`: the key must not exist in the drilled system's Redis (an operator's
 * emergency stop: `redis-cli SET KEY 1`). Until the fleet is up, or while its Redis cannot be read
 * (a redis-down fault, say), the key cannot be seen and the guard stays good.
 */
export function redisKeyProbe(key: string, redisUrl: () => string | undefined, timeoutMs = PROBE_TIMEOUT_MS): Probe {
  return async () => {
    const url = redisUrl();
    if (url === undefined) return null;
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      return (await r.exists(key)) ? `the Redis key '${key}' exists (set to stop the drill)` : null;
    } catch {
      return null;
    } finally {
      r.disconnect();
    }
  };
}
