// redis-failover's account of what came back (the fleet drills are scenarios/incidents/redis-failover.yaml,
// kill-keys-not-persisted*.yaml); its check against a fleet without Redis.
import { describe, expect, it } from 'vitest';
import { cameBack, redisFailover } from './redis-failover.ts';

const K = ['p:platform:platform', 'p:bot:mm-aapl'];

describe('redis-failover', () => {
  it('says the Redis came back from its AOF only when every kill key there before is there again', () => {
    expect(cameBack(K, [...K].reverse())).toBe('aof');
    expect(cameBack([], [])).toBe('aof');
    expect(cameBack(K, [])).toBe('empty');
    expect(cameBack(K, ['p:bot:mm-aapl'])).toBe('partial');
  });

  it('refuses a fleet with no redis component', () => {
    expect(redisFailover.check({}, [{ name: 'broker', kind: 'daemon', pid: null, state: 'planned' }], 'p')).toMatch(/no 'redis' component/);
    expect(redisFailover.check({}, [{ name: 'redis', kind: 'redis', pid: null, state: 'planned' }], 'p')).toBeNull();
  });
});
