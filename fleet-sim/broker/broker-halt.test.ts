// Halt levels 1–4 and resume against the real broker process, real redis-server and
// recording supervisors per host: where each stop goes, the audit claims, restarts
// (kill -9) keeping or forgetting the halt state, and the three broker bugs of seed 002.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { api, type TestFleet, startTestFleet } from './test-fleet.ts';

const prefix = 'alphaswarm:bots:killswitch';
const TRADING = ['foresight', 'shiva', 'hermes', 'leverage'];
const KNOX_AGENTS = ['oracle', 'scribe', 'herald', 'atlas'];

async function claims(f: TestFleet): Promise<Array<{ host: string; daemon: string; ok: boolean; supervisorUrl: string }>> {
  const r = await api(f.url, 'GET', '/audit?after=0', f.file.token);
  return r.body.entries.filter((e: { action: string }) => e.action === 'daemon-stopped').map((e: { detail: unknown }) => e.detail);
}

const sorted = (xs: string[]): string[] => [...xs].sort();

describe('halt levels without bugs', () => {
  let f: TestFleet;
  let redis: Redis;
  beforeAll(async () => {
    f = await startTestFleet();
    redis = new Redis({ port: f.redis.port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    redis?.disconnect();
    await f?.close();
  });

  it('level 1 engages asset:DOGE-USD (flatten), no stops, no incident', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 1, reason: 'doge signal broken' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, level: 1, incident: null, stopped: [] });
    expect(JSON.parse((await redis.get(`${prefix}:asset:DOGE-USD`))!)).toMatchObject({ mode: 'flatten', reason: 'doge signal broken' });
    expect(f.received()).toEqual([]);
  });

  it('level 2 stops the four trading daemons on tesseract and opens an incident', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 2, reason: 'market broke' });
    expect(r.status).toBe(200);
    expect(r.body.level).toBe(2);
    expect(r.body.incident).toMatchObject({ id: expect.any(String), level: 2, reason: 'market broke' });
    expect(sorted(r.body.stopped.map((s: { host: string; daemon: string }) => `${s.host}/${s.daemon}`))).toEqual(sorted(TRADING.map((d) => `tesseract/${d}`)));
    expect(sorted(f.received())).toEqual(sorted(TRADING.map((d) => `tesseract:stop:${d}`)));
    expect(f.supervisors.tesseract.calls.every((c) => c.auth === `Bearer ${f.file.token}`)).toBe(true);
    const c = await claims(f);
    expect(c).toHaveLength(4);
    for (const cl of c) expect(cl).toMatchObject({ host: 'tesseract', ok: true, supervisorUrl: `http://127.0.0.1:${f.supervisors.tesseract.port}` });
  });

  it('level 3 also stops the knox agents, never the watchdogs or the broker', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 3 });
    expect(r.status).toBe(200);
    expect(sorted(r.body.stopped.map((s: { daemon: string }) => s.daemon))).toEqual(sorted(KNOX_AGENTS));
    expect(sorted(f.supervisors.knox.calls.map((c) => `${c.verb}:${c.daemon}`))).toEqual(sorted(KNOX_AGENTS.map((d) => `stop:${d}`)));
    expect(r.body.incident.level).toBe(3);
  });

  it('level 4 engages platform:platform (freeze); the state survives kill -9', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 4, confirm: 'SHUTDOWN INVICTUS' });
    expect(r.status).toBe(200);
    expect(r.body.keys).toEqual([`${prefix}:platform:platform`]);
    expect(JSON.parse((await redis.get(`${prefix}:platform:platform`))!).mode).toBe('freeze');
    const before = (await api(f.url, 'GET', '/status', f.file.token)).body;
    expect(before).toMatchObject({ haltLevel: 4, incident: { level: 4 } });

    await f.broker.kill9();
    await f.restart();
    const after = (await api(f.url, 'GET', '/status', f.file.token)).body;
    expect(after.bootId).not.toBe(before.bootId);
    expect(after.haltLevel).toBe(4);
    expect(after.incident).toEqual(before.incident);
    expect(sorted(after.engaged.map((e: { key: string }) => e.key))).toEqual(sorted([`${prefix}:asset:DOGE-USD`, `${prefix}:platform:platform`]));
    // The audit log numbering continues across the restart.
    const audit = (await api(f.url, 'GET', '/audit', f.file.token)).body.entries;
    expect(audit.filter((e: { action: string }) => e.action === 'broker-started')).toHaveLength(2);
  });

  it('resume (risk officer) starts what the levels stopped, clears their keys, closes the incident', async () => {
    for (const s of Object.values(f.supervisors)) s.calls.length = 0;
    const r = await api(f.url, 'POST', '/halt/resume', f.file.releaseToken, { reason: 'all clear' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, level: 0, incident: null });
    expect(sorted(f.received())).toEqual(sorted([...TRADING.map((d) => `tesseract:start:${d}`), ...KNOX_AGENTS.map((d) => `knox:start:${d}`)]));
    expect(await redis.exists(`${prefix}:asset:DOGE-USD`, `${prefix}:platform:platform`)).toBe(0);
    expect((await api(f.url, 'GET', '/status', f.file.token)).body).toMatchObject({ haltLevel: 0, incident: null, engaged: [] });
    const actions = (await api(f.url, 'GET', '/audit', f.file.token)).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('incident-closed');
  });
});

describe('bug wrong-host-stop', () => {
  let f: TestFleet;
  beforeAll(async () => {
    f = await startTestFleet({ bugs: ['wrong-host-stop'] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('level 2 sends the trading stops to knox (the broker host), which says ok; tesseract gets nothing', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 2 });
    expect(r.status).toBe(200);
    expect(r.body.stopped.every((s: { ok: boolean }) => s.ok)).toBe(true);
    expect(f.supervisors.tesseract.calls).toEqual([]);
    expect(sorted(f.supervisors.knox.calls.map((c) => c.daemon))).toEqual(sorted(TRADING));
    const c = await claims(f);
    expect(c).toHaveLength(4);
    // The claim names the daemon's host and says ok, but the supervisor that answered is knox's.
    for (const cl of c) expect(cl).toMatchObject({ host: 'tesseract', ok: true, supervisorUrl: `http://127.0.0.1:${f.supervisors.knox.port}` });
  });
});

describe('bugs halt-state-in-memory + broker-in-own-stop-list', () => {
  let f: TestFleet;
  beforeAll(async () => {
    f = await startTestFleet({ bugs: ['halt-state-in-memory', 'broker-in-own-stop-list'] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('level 3 also stops the broker itself on knox, after answering', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 3 });
    expect(r.status).toBe(200);
    expect(r.body.stopped).toContainEqual({ host: 'knox', daemon: 'broker', ok: true, sentTo: 'knox' });
    await expect.poll(() => f.supervisors.knox.calls.map((c) => c.daemon)).toContain('broker');
    const knox = f.supervisors.knox.calls.map((c) => c.daemon);
    expect(knox[knox.length - 1]).toBe('broker');
    expect(knox).not.toContain('sentinel');
    expect((await claims(f)).some((c) => c.daemon === 'broker' && c.host === 'knox')).toBe(true);
  });

  it('a restart forgets the halt level and incident (the audit log survives)', async () => {
    const before = (await api(f.url, 'GET', '/status', f.file.token)).body;
    expect(before).toMatchObject({ haltLevel: 3, incident: { level: 3 } });
    await f.broker.kill9();
    await f.restart();
    const after = (await api(f.url, 'GET', '/status', f.file.token)).body;
    expect(after).toMatchObject({ haltLevel: 0, incident: null });
    expect(after.bootId).not.toBe(before.bootId);
    const actions = (await api(f.url, 'GET', '/audit', f.file.token)).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('incident-opened');
  });
});

describe('broker-in-own-stop-list alone keeps the state', () => {
  let f: TestFleet;
  beforeAll(async () => {
    f = await startTestFleet({ bugs: ['broker-in-own-stop-list'] });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('level 2 never stops the broker; level 3 does, and a restart still reports level 3', async () => {
    await api(f.url, 'POST', '/halt/level', f.file.token, { level: 2 });
    expect(f.supervisors.knox.calls).toEqual([]);
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 3 });
    expect(r.status).toBe(200);
    await expect.poll(() => f.supervisors.knox.calls.map((c) => c.daemon)).toContain('broker');
    await f.broker.kill9();
    await f.restart();
    expect((await api(f.url, 'GET', '/status', f.file.token)).body).toMatchObject({ haltLevel: 3, incident: { level: 3 } });
  });
});

describe('a supervisor that cannot be reached', () => {
  let f: TestFleet;
  beforeAll(async () => {
    f = await startTestFleet();
    await f.supervisors.tesseract.close();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('level 2 is recorded but answers 502 naming the failed stops; the claims say not ok', async () => {
    const r = await api(f.url, 'POST', '/halt/level', f.file.token, { level: 2 });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatch(/^killdrill: halt level 2 is recorded but 4 daemon stop\(s\) failed: tesseract\/\w+ \(supervisor unreachable/);
    expect(r.body.stopped.every((s: { ok: boolean }) => !s.ok)).toBe(true);
    const c = await claims(f);
    expect(c).toHaveLength(4);
    expect(c.every((x) => x.ok === false && x.host === 'tesseract')).toBe(true);
    expect((await api(f.url, 'GET', '/status', f.file.token)).body).toMatchObject({ haltLevel: 2, incident: { level: 2 } });
  });
});
