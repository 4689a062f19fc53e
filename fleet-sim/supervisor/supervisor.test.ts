// The host supervisor as a real process with real (throwaway) daemon processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../lib/ports.ts';
import { isPidAlive } from '../orchestrator/http-util.ts';
import { SupervisorClient, type DaemonInfo } from './client.ts';

const MAIN = join(import.meta.dirname, 'main.ts');
const TOKEN = 'test-token';
let dir: string;
let sup: ChildProcess;
let client: SupervisorClient;
let url: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Wait until a graceful daemon has installed its SIGTERM handler (a SIGTERM during boot is a signal death). */
const booted = (pid: number) => until(`daemon ${pid} booted`, async () => existsSync(join(dir, `ready-${pid}`)));

async function loadBooted(def: Parameters<SupervisorClient['load']>[0]): Promise<DaemonInfo> {
  const d = await client.load({ ...def, args: [dir] });
  await booted(d.pid!);
  return d;
}

const info = async (name: string): Promise<DaemonInfo> => (await client.daemons()).find((d) => d.name === name)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'killdrill-sup-'));
  // A daemon that runs until SIGTERM and then exits 0; one that exits at once with code 3.
  // It writes ready-<pid> once its SIGTERM handler is installed.
  writeFileSync(join(dir, 'graceful.mjs'), "import { writeFileSync } from 'node:fs'; process.on('SIGTERM', () => process.exit(0)); writeFileSync(process.argv[2] + '/ready-' + process.pid, ''); setInterval(() => {}, 1000);\n");
  writeFileSync(join(dir, 'crasher.mjs'), 'process.exit(3);\n');
  const [port] = await freePorts(1);
  const fleetFile = join(dir, 'fleet.json');
  writeFileSync(fleetFile, JSON.stringify({ token: TOKEN, config: { dataDir: dir }, ports: { supervisors: { h1: port } } }));
  sup = spawn(process.execPath, [MAIN, fleetFile, 'h1'], { stdio: ['pipe', 'ignore', 'inherit'], env: { ...process.env, KILLDRILL_STOP_GRACE_MS: '2000' } });
  url = `http://127.0.0.1:${port}`;
  client = new SupervisorClient(url, TOKEN);
  await until('supervisor up', () => client.daemons());
});

afterAll(async () => {
  if (sup.exitCode === null) {
    sup.kill('SIGTERM');
    await new Promise((r) => sup.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('host supervisor', () => {
  it('needs the bearer token and rejects bad input with 4xx', async () => {
    expect((await fetch(`${url}/daemons`)).status).toBe(401);
    const post = (body: string) => fetch(`${url}/daemons`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body });
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ name: 'x', module: join(dir, 'graceful.mjs'), keepAlive: 'sometimes' }))).status).toBe(400);
    expect((await post(JSON.stringify({ name: 'x', module: join(dir, 'nope.mjs'), keepAlive: true }))).status).toBe(422);
    expect((await post('x'.repeat(1024 * 1024 + 10))).status).toBe(413);
    const ev = await fetch(`${url}/events?after=-1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ev.status).toBe(400);
    expect(((await ev.json()) as { error: string }).error).toMatch(/^killdrill: /);
    expect((await client.daemons()).length).toBe(0);
  });

  it('stop of a daemon the host does not have answers 200 ok (like launchctl stop)', async () => {
    const res = await client.action('no-such-daemon', 'stop');
    expect(res).toEqual({ ok: true });
  });

  it('keepAlive true: a stopped daemon exits and is started again', async () => {
    const d = await loadBooted({ name: 'ka', module: join(dir, 'graceful.mjs'), keepAlive: true, tags: ['broker'] });
    expect(d.state).toBe('running');
    const first = d.pid!;
    const stop = await client.action('ka', 'stop');
    expect(stop).toMatchObject({ ok: true, pid: first, signal: 'SIGTERM' });
    const again = await until('restart', async () => {
      const x = await info('ka');
      return x.pid && x.pid !== first ? x : null;
    });
    expect(again.starts).toBe(2);
    expect(again.lastExit).toMatchObject({ code: 0, signal: null });
    expect(isPidAlive(first)).toBe(false);
  });

  it('disable: a keepAlive true daemon stays down until start, then KeepAlive applies again', async () => {
    const d = await loadBooted({ name: 'dis', module: join(dir, 'graceful.mjs'), keepAlive: true, tags: ['watchdog'] });
    expect(await client.action('dis', 'disable')).toMatchObject({ ok: true, disabled: true, pid: d.pid, signal: 'SIGTERM' });
    await sleep(700);
    expect(await info('dis')).toMatchObject({ state: 'stopped', pid: null, starts: 1 });
    const started = await client.action('dis', 'start');
    await booted(started.pid as number);
    await client.action('dis', 'stop');
    const again = await until('keepAlive restart after start', async () => {
      const x = await info('dis');
      return x.pid && x.pid !== started.pid ? x : null;
    });
    expect(again.starts).toBe(3);
    expect((await fetch(`${client.url}/daemons/nope/disable`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it("on-failure: a graceful stop (exit 0) stays down, a SIGKILL comes back, start brings it back", async () => {
    const d = await loadBooted({ name: 'of', module: join(dir, 'graceful.mjs'), keepAlive: 'on-failure', tags: ['trading'] });
    await client.action('of', 'stop');
    await sleep(700);
    const stopped = await info('of');
    expect(stopped).toMatchObject({ state: 'stopped', pid: null, starts: 1 });
    await client.action('of', 'start');
    const started = await info('of');
    expect(started.state).toBe('running');
    await booted(started.pid!);
    expect(started.pid).not.toBe(d.pid);
    const kill = await client.action('of', 'kill');
    expect(kill).toMatchObject({ ok: true, signal: 'SIGKILL', pid: started.pid });
    const back = await until('restart after SIGKILL', async () => {
      const x = await info('of');
      return x.state === 'running' && x.pid !== started.pid ? x : null;
    });
    expect(back.starts).toBe(3);
  });

  it('keepAlive false never restarts; a crash loop is throttled; events record starts and exits', async () => {
    await loadBooted({ name: 'once', module: join(dir, 'graceful.mjs'), keepAlive: false });
    await client.action('once', 'kill');
    await sleep(500);
    expect(await info('once')).toMatchObject({ state: 'exited', pid: null, starts: 1, lastExit: { signal: 'SIGKILL' } });
    await client.load({ name: 'crash', module: join(dir, 'crasher.mjs'), keepAlive: 'on-failure' });
    await until('4 starts of the crash loop', async () => (await info('crash')).starts >= 4, 20_000);
    await client.action('crash', 'stop');
    const res = await fetch(`${url}/events?after=0`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { events, next } = (await res.json()) as { events: Array<{ seq: number; at: number; daemon: string; event: string; code?: number }>; next: number };
    expect(next).toBe(events[events.length - 1].seq);
    const crash = events.filter((e) => e.daemon === 'crash');
    // Every exit before our stop was the crash (the stop may catch one run mid-boot: SIGTERM).
    expect(crash.filter((e) => e.event === 'exit').slice(0, 3).map((e) => e.code)).toEqual([3, 3, 3]);
    // Throttled: the wait between an exit and the next start doubles (200, 200, 400 ms …).
    const gaps: number[] = [];
    for (let i = 1; i < crash.length; i++) if (crash[i - 1].event === 'exit' && crash[i].event === 'start') gaps.push(crash[i].at - crash[i - 1].at);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[2]).toBeGreaterThanOrEqual(390);
    const later = (await (await fetch(`${url}/events?after=${next}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { events: unknown[] };
    expect(later.events).toEqual([]);
  });

  it('SIGTERM stops every daemon, then the supervisor exits 0', async () => {
    const pids = (await client.daemons()).map((d) => d.pid).filter((p): p is number => p !== null);
    expect(pids.length).toBeGreaterThan(0);
    sup.kill('SIGTERM');
    const code = await new Promise((r) => sup.once('exit', r));
    expect(code).toBe(0);
    expect(pids.filter(isPidAlive)).toEqual([]);
  });
});
