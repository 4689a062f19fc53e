// The broker's REST API against a real redis-server and the real broker process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { HALT_ENDPOINTS, eventsChannel, phaseHashKey } from '../model.ts';
import { api, startTestFleet, type TestFleet } from './test-fleet.ts';

describe('broker REST API', () => {
  let f: TestFleet;
  let redis: Redis;
  let sub: Redis;
  const events: Array<{ op: string; key: string; value?: string; at: number }> = [];
  const prefix = 'alphaswarm:bots:killswitch';

  beforeAll(async () => {
    f = await startTestFleet();
    redis = new Redis({ port: f.redis.port, host: '127.0.0.1' });
    sub = new Redis({ port: f.redis.port, host: '127.0.0.1' });
    await sub.subscribe(eventsChannel(prefix));
    sub.on('message', (_c, m: string) => events.push(JSON.parse(m)));
  });
  afterAll(async () => {
    redis?.disconnect();
    sub?.disconnect();
    await f?.close();
  });

  it('needs a bearer token on every request (401), and the release role to release or resume (403)', async () => {
    for (const [method, path] of [['GET', '/status'], ['GET', '/nope'], ['POST', '/bots/halt-all'], ['POST', '/halt/resume']]) {
      const none = await api(f.url, method, path, null);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.body.error).toMatch(/^killdrill: /);
      expect((await api(f.url, method, path, 'wrong-token')).status).toBe(401);
    }
    const rel = await api(f.url, 'POST', '/killswitch/release', f.file.token, { scope: 'bot', target: 'x' });
    expect(rel.status).toBe(403);
    expect(rel.body.error).toMatch(/^killdrill: .*releaseToken/);
    expect((await api(f.url, 'POST', '/halt/resume', f.file.token, {})).status).toBe(403);
    expect((await api(f.url, 'GET', '/status', f.file.releaseToken)).status).toBe(200);
  });

  it('each of the six halt endpoints engages group:<group>, SETs then PUBLISHes', async () => {
    events.length = 0;
    for (const [path, group] of Object.entries(HALT_ENDPOINTS)) {
      const r = await api(f.url, 'POST', path, f.file.token, { mode: 'freeze', reason: `drill ${group}` });
      expect(r.status, path).toBe(200);
      const key = `${prefix}:group:${group}`;
      expect(r.body).toEqual({ ok: true, key });
      const v = JSON.parse((await redis.get(key))!);
      expect(v).toMatchObject({ mode: 'freeze', reason: `drill ${group}`, by: 'broker:operator' });
      expect(typeof v.at).toBe('number');
    }
    // No body at all: the fleet's default mode.
    expect((await api(f.url, 'POST', '/paper/stop-all', f.file.token)).status).toBe(200);
    expect(JSON.parse((await redis.get(`${prefix}:group:paper`))!).mode).toBe('cancel');
    await expect.poll(() => events.length).toBe(7);
    expect(events.every((e) => e.op === 'engage' && e.key.startsWith(`${prefix}:group:`) && typeof e.value === 'string')).toBe(true);
    const status = await api(f.url, 'GET', '/status', f.file.token);
    expect(status.body.engaged.map((e: { target: string }) => e.target).sort()).toEqual(Object.values(HALT_ENDPOINTS).sort());
    for (const g of Object.values(HALT_ENDPOINTS)) {
      expect((await api(f.url, 'POST', '/killswitch/release', f.file.releaseToken, { scope: 'group', target: g })).status).toBe(200);
    }
    expect((await api(f.url, 'GET', '/status', f.file.token)).body.engaged).toEqual([]);
  });

  it('POST /killswitch engages with a TTL; release DELs and publishes release', async () => {
    events.length = 0;
    const r = await api(f.url, 'POST', '/killswitch', f.file.token, { scope: 'bot', target: 'foresight-doge-usd', mode: 'flatten', reason: 'misbehaving', ttlS: 60 });
    expect(r.body).toEqual({ ok: true, key: `${prefix}:bot:foresight-doge-usd` });
    const pttl = await redis.pttl(r.body.key);
    expect(pttl).toBeGreaterThan(50_000);
    expect(JSON.parse((await redis.get(r.body.key))!)).toMatchObject({ mode: 'flatten', reason: 'misbehaving', ttlS: 60 });
    const st = await api(f.url, 'GET', '/status', f.file.token);
    expect(st.body.engaged).toEqual([{ key: r.body.key, scope: 'bot', target: 'foresight-doge-usd', mode: 'flatten', reason: 'misbehaving', at: expect.any(Number) }]);
    const rel = await api(f.url, 'POST', '/killswitch/release', f.file.releaseToken, { scope: 'bot', target: 'foresight-doge-usd' });
    expect(rel.status).toBe(200);
    expect(rel.body).toMatchObject({ ok: true, key: r.body.key });
    expect(await redis.exists(r.body.key)).toBe(0);
    await expect.poll(() => events.map((e) => e.op).join(',')).toBe('engage,release');
  });

  it("a kill's queue policy (agent fleets) goes into the kill value; an unknown one is 422 naming the field", async () => {
    const r = await api(f.url, 'POST', '/killswitch', f.file.token, { scope: 'tenant', target: 'acme', mode: 'freeze', reason: 'q', queue: 'drain' });
    expect(r.status).toBe(200);
    expect(JSON.parse((await redis.get(r.body.key))!)).toMatchObject({ mode: 'freeze', reason: 'q', queue: 'drain' });
    const g = await api(f.url, 'POST', '/agents/halt', f.file.token, { mode: 'freeze', queue: 'discard' });
    expect(g.status).toBe(200);
    expect(JSON.parse((await redis.get(g.body.key))!)).toMatchObject({ queue: 'discard' });
    const bad = await api(f.url, 'POST', '/killswitch', f.file.token, { scope: 'tenant', target: 'acme', queue: 'flush' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toMatch(/queue/);
    for (const [scope, target, key] of [['tenant', 'acme', r.body.key], ['group', 'agents', g.body.key]]) {
      expect((await api(f.url, 'POST', '/killswitch/release', f.file.releaseToken, { scope, target })).status).toBe(200);
      expect(await redis.exists(key)).toBe(0);
    }
  });

  it('GET /status reports halt level, incident, boot identity', async () => {
    const s = await api(f.url, 'GET', '/status', f.file.token);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ haltLevel: 0, incident: null, engaged: [], bootId: f.broker.ready.bootId, pid: f.broker.ready.pid });
    expect(typeof s.body.startedAt).toBe('number');
  });

  it('GET /bots lists the topology with phases from the phase hash', async () => {
    const first = await api(f.url, 'GET', '/bots', f.file.token);
    expect(first.body).toHaveLength(f.file.topology.bots.length);
    expect(first.body.every((b: { phase: string }) => b.phase === 'Unknown')).toBe(true);
    const slug = f.file.topology.bots[0].slug;
    await redis.hset(phaseHashKey(prefix), slug, JSON.stringify({ slug, phase: 'Draining', at: 1234.5 }));
    const b = (await api(f.url, 'GET', '/bots', f.file.token)).body.find((x: { slug: string }) => x.slug === slug);
    const t = f.file.topology.bots[0];
    const tags = f.file.topology.hosts.find((h) => h.name === t.host)!.daemons.find((x) => x.name === t.daemon)!.tags;
    expect(tags.length).toBeGreaterThan(0);
    expect(b).toEqual({ slug, host: t.host, daemon: t.daemon, fleet: t.fleet, tenant: t.tenant, group: t.group, class: t.class, asset: t.asset, capability: t.capability, run: t.run, tags, phase: 'Draining', since: 1234.5 });
  });

  it('GET /audit pages every flip in order', async () => {
    const all = await api(f.url, 'GET', '/audit?after=0', f.file.token);
    expect(all.status).toBe(200);
    const actions = all.body.entries.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('broker-started');
    expect(actions.filter((a: string) => a === 'engage').length).toBeGreaterThanOrEqual(8);
    expect(actions.filter((a: string) => a === 'release').length).toBeGreaterThanOrEqual(7);
    const seqs = all.body.entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(all.body.next).toBe(seqs[seqs.length - 1]);
    const tail = await api(f.url, 'GET', `/audit?after=${seqs[2]}`, f.file.token);
    expect(tail.body.entries[0].seq).toBe(seqs[3]);
    const empty = await api(f.url, 'GET', `/audit?after=${all.body.next}`, f.file.token);
    expect(empty.body).toEqual({ entries: [], next: all.body.next });
    expect((await api(f.url, 'GET', '/audit?after=-1', f.file.token)).status).toBe(400);
  });

  it('level 4 needs the confirmation phrase (422, nothing stopped)', async () => {
    const before = f.received().length;
    for (const confirm of [undefined, 'shutdown invictus', 'yes']) {
      const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 4, confirm });
      expect(r.status).toBe(422);
      expect(r.body.error).toContain('SHUTDOWN INVICTUS');
    }
    expect(f.received().length).toBe(before);
    expect((await api(f.url, 'GET', '/status', f.file.token)).body.haltLevel).toBe(0);
    expect(await redis.exists(`${prefix}:platform:platform`)).toBe(0);
  });

  it('rejects bad requests with the right 4xx and a killdrill error', async () => {
    const t = f.file.token;
    const cases: Array<[string, string, unknown, number, Record<string, string>?]> = [
      ['GET', '/nope', undefined, 404],
      ['GET', '/killswitch', undefined, 405],
      ['DELETE', '/status', undefined, 405],
      ['POST', '/killswitch', '{"scope":', 400],
      ['POST', '/killswitch', '[1,2]', 400],
      ['POST', '/killswitch', { scope: 'bot' }, 422],
      ['POST', '/killswitch', { scope: 'galaxy', target: 'x', mode: 'cancel' }, 422],
      ['POST', '/killswitch', { scope: 'bot', target: 'x', mode: 'cancel', extra: 1 }, 422],
      ['POST', '/killswitch', { scope: 'platform', target: 'x' }, 422],
      ['POST', '/halt/level', { level: '2' }, 422],
      ['POST', '/halt/level', { level: 5 }, 422],
      ['POST', '/bots/halt-all', { mode: 'nuke' }, 422],
      ['POST', '/bots/halt-all', 'mode=freeze', 415, { 'content-type': 'application/x-www-form-urlencoded' }],
      ['GET', '/status?x=1', undefined, 400],
    ];
    for (const [method, path, body, status, headers] of cases) {
      const r = await api(f.url, method, path, t, body, headers);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body.error).toMatch(/^killdrill: /);
    }
    const huge = await api(f.url, 'POST', '/killswitch', t, JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 10) }));
    expect(huge.status).toBe(413);
    expect(f.broker.alive()).toBe(true);
  });

  it('answers 503 naming Redis when Redis is unreachable, never a false 200', async () => {
    await f.redis.stop();
    const engage = await api(f.url, 'POST', '/bots/halt-all', f.file.token, { reason: 'redis down' });
    expect(engage.status).toBe(503);
    expect(engage.body.error).toMatch(/^killdrill: Redis .*unreachable/);
    expect((await api(f.url, 'POST', '/killswitch', f.file.token, { scope: 'bot', target: 'a', mode: 'cancel' })).status).toBe(503);
    expect((await api(f.url, 'POST', '/killswitch/release', f.file.releaseToken, { scope: 'bot', target: 'a' })).status).toBe(503);
    expect((await api(f.url, 'GET', '/status', f.file.token)).status).toBe(503);
    expect((await api(f.url, 'GET', '/bots', f.file.token)).status).toBe(503);
    const l1 = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 1 });
    expect(l1.status).toBe(503);
    expect(l1.body.error).toContain('Redis');
    expect((await api(f.url, 'GET', '/audit', f.file.token)).status).toBe(200);
    expect(f.broker.alive()).toBe(true);
  });
});
