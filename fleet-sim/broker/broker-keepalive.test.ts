// Seed 002, bug two, end to end with real parts: the broker runs under the real knox
// supervisor (KeepAlive), level 3 with `broker-in-own-stop-list` makes the supervisor stop
// the broker, KeepAlive brings it back on the same port — and the halt state is kept from
// sqlite, or forgotten with `halt-state-in-memory`.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { api, NODE, prepareFleet, ROOT, type PreparedFleet } from './test-fleet.ts';

interface Running {
  fleet: PreparedFleet;
  supervisor: ChildProcess;
}

let running: Running | null = null;

async function startUnderSupervisor(bugs: string[]): Promise<Running> {
  const fleet = await prepareFleet({ bugs: bugs as never }, ['knox']);
  const supervisor = spawn(NODE, [join(ROOT, 'fleet-sim/supervisor/main.ts'), fleet.fleetPath, 'knox'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, KILLDRILL_STOP_GRACE_MS: '3000' } });
  running = { fleet, supervisor };
  const supUrl = `http://127.0.0.1:${fleet.file.ports.supervisors.knox}`;
  await expect.poll(async () => (await fetch(`${supUrl}/daemons`, { headers: { authorization: `Bearer ${fleet.file.token}` } }).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
  const load = await api(supUrl, 'POST', '/daemons', fleet.file.token, { name: 'broker', module: join(ROOT, 'fleet-sim/broker/main.ts'), args: [fleet.fleetPath], keepAlive: true, tags: ['broker'] });
  expect(load.status).toBe(201);
  await expect.poll(async () => (await api(fleet.url, 'GET', '/status', fleet.file.token).catch(() => null))?.status, { timeout: 15_000 }).toBe(200);
  return running;
}

afterEach(async () => {
  if (!running) return;
  const { supervisor, fleet } = running;
  running = null;
  if (supervisor.exitCode === null) await new Promise<void>((r) => { supervisor.once('exit', () => r()); supervisor.kill('SIGTERM'); });
  await fleet.close();
});

async function level3AndWaitForRestart(fleet: PreparedFleet): Promise<{ before: any; after: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const first = (await api(fleet.url, 'GET', '/status', fleet.file.token)).body;
  const r = await api(fleet.url, 'POST', '/halt/level', fleet.file.token, { level: 3, reason: 'runaway agent' });
  expect(r.status).toBe(200);
  expect(r.body.stopped).toContainEqual({ host: 'knox', daemon: 'broker', ok: true, sentTo: 'knox' });
  const before = { haltLevel: r.body.level, incident: r.body.incident };
  let after: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  await expect
    .poll(async () => {
      after = (await api(fleet.url, 'GET', '/status', fleet.file.token).catch(() => null))?.body ?? null;
      return after && after.bootId !== first.bootId ? 'restarted' : 'waiting';
    }, { timeout: 20_000, interval: 100 })
    .toBe('restarted');
  return { before, after };
}

describe('broker under a real KeepAlive supervisor', () => {
  it('broker-in-own-stop-list + halt-state-in-memory: level 3 restarts the broker and it forgets the halt (the seed incident)', async () => {
    const { fleet } = await startUnderSupervisor(['broker-in-own-stop-list', 'halt-state-in-memory']);
    const { before, after } = await level3AndWaitForRestart(fleet);
    expect(before).toMatchObject({ haltLevel: 3, incident: { level: 3 } });
    expect(after).toMatchObject({ haltLevel: 0, incident: null });
  });

  it('broker-in-own-stop-list alone: the restarted broker rebuilds level 3 and the incident from sqlite', async () => {
    const { fleet } = await startUnderSupervisor(['broker-in-own-stop-list']);
    const { before, after } = await level3AndWaitForRestart(fleet);
    expect(after.haltLevel).toBe(3);
    expect(after.incident).toEqual(before.incident);
  });
});
