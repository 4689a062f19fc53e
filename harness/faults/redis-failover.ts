// redis-failover (seed 001 "Stateful service failover": `kubectl delete pod redis-master-0`, the
// StatefulSet brings it back): redis-server is SIGKILLed (a deleted pod gets no clean shutdown, so
// nothing is saved on the way out) and started again at once on the same port and data directory
// (the PVC). It comes back with what it had persisted: from its append-only file (the fleet's
// default, fsynced on every write) or empty (a Redis with no persistence: the
// `kill-keys-not-persisted` bug). The fault counts the kill keys before and after and says which.
// On the docker runtime it is a container kill and start (the data directory is a bind mount).
import { Redis } from 'ioredis';
import { SCOPES } from '../../contracts/index.ts';
import { describeError } from '../../lib/http.ts';
import { controlComponent } from './control-api.ts';
import type { Fault } from './types.ts';

/** The kill keys (`<prefix>:<scope>:<target>`) in the fleet's Redis, or an error message. */
export async function killKeysIn(url: string, prefix: string): Promise<string[] | string> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, enableOfflineQueue: false });
  try {
    await r.connect();
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      for (const k of batch) if ((SCOPES as readonly string[]).includes(k.slice(prefix.length + 1).split(':')[0])) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    return [...keys].sort();
  } catch (err) {
    return `could not read the kill keys: ${describeError(err)}`;
  } finally {
    r.disconnect();
  }
}

/** What came back: `aof` (every kill key there before is there again), `empty` (none of them), `partial`. */
export function cameBack(before: string[], after: string[]): 'aof' | 'empty' | 'partial' {
  const kept = before.filter((k) => after.includes(k)).length;
  if (kept === before.length) return 'aof';
  return kept === 0 ? 'empty' : 'partial';
}

export const redisFailover: Fault = {
  kind: 'redis-failover',
  check: (_p, c) => (c.some((x) => x.name === 'redis') ? null : `this fleet has no 'redis' component (it has ${c.map((x) => x.name).join(', ')})`),
  async inject(ctx) {
    const before = await killKeysIn(ctx.fleet.redisUrl, ctx.keyPrefix);
    const killed = await controlComponent(ctx.fleet, 'redis', 'kill');
    const started = await controlComponent(ctx.fleet, 'redis', 'start');
    const after = await killKeysIn(ctx.fleet.redisUrl, ctx.keyPrefix);
    const detail: Record<string, unknown> = { target: 'redis', killed, started };
    if (typeof before === 'string' || typeof after === 'string') detail.keysError = typeof before === 'string' ? `before: ${before}` : `after: ${after}`;
    else Object.assign(detail, { killKeysBefore: before, killKeysAfter: after, cameBack: cameBack(before, after) });
    return { detail, heal: async () => ({ note: 'nothing to heal: Redis was started again right after the kill' }) };
  },
};
