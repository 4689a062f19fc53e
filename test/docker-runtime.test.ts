// `killdrill sim up --runtime docker` end to end with a real Docker daemon: every
// component in its own container (testcontainers, image built without a registry), the
// fleet trades, a broker halt stops tesseract's daemons inside their host container,
// container actions work, and nothing labelled with the run is left after SIGINT — or,
// after a SIGKILL of sim up, after the next start's reaper. No Docker = a failure, never a skip.
import { beforeAll, describe, expect, it } from 'vitest';
import { simUpChild } from './support/sim-up-child.ts';
import { docker, labelled, requireDockerFleetImage } from './support/docker.ts';
import { rmSync } from 'node:fs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let image = '';

interface Line { runId: string; brokerUrl: string; venueUrl: string; token: string; controlUrl: string; hosts: Record<string, string>; dataDir: string }
interface Component { name: string; kind: string; host?: string; pid: number | null; state: string }
interface Effect { seq: number; bot: string }

async function call<T>(url: string, token: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  const out = await res.json();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(out)}`);
  return out as T;
}

async function ledger(l: Line, after = 0): Promise<{ effects: Effect[]; next: number }> {
  return call(`${l.venueUrl}/ledger?after=${after}`, l.token);
}

beforeAll(async () => {
  image = await requireDockerFleetImage();
}, 600_000);

function simUp(config: Record<string, unknown>, runId: string) {
  return simUpChild<Line>(config, { runId, args: ['--runtime', 'docker'], tmpPrefix: 'killdrill-dockertest-', env: { ...process.env, KILLDRILL_FLEET_IMAGE: image, TESTCONTAINERS_RYUK_DISABLED: 'true' } });
}

describe('sim up --runtime docker: principal fleet', () => {
  it('one container per component, trades, halts tesseract via the broker, and SIGINT leaves nothing labelled', async () => {
    const runId = `t-docker-${process.pid}-${Date.now()}`;
    const s = simUp({ preset: 'principal', bots: 8, pollIntervalS: 1 }, runId);
    const l = await s.line;
    expect(l.runId).toBe(runId);
    const names = labelled(runId).map((n) => n.replace(`killdrill-${runId}-`, '')).sort();
    // Seven containers and the run's own bridge network (`net`, docs/docker.md).
    expect(names).toEqual(['apiserver', 'gateway', 'net', 'proxy', 'redis', 'supervisor.knox', 'supervisor.tesseract', 'venue']);
    // The daemons are processes inside their host's container (its supervisor is KeepAlive).
    const top = docker('top', `killdrill-${runId}-supervisor.tesseract`, '-o', 'pid,args');
    for (const d of ['foresight', 'shiva']) expect(top).toContain(d);

    const first = await ledger(l);
    await sleep(2000);
    const second = await ledger(l, first.next);
    expect(second.effects.length).toBeGreaterThan(0);

    // Container actions: docker pause/unpause of the venue.
    const paused = await call<{ signal: string }>(`${l.controlUrl}/components/venue/pause`, l.token, 'POST');
    expect(paused.signal).toBe('docker pause');
    expect(docker('inspect', '-f', '{{.State.Paused}}', `killdrill-${runId}-venue`)).toBe('true');
    await call(`${l.controlUrl}/components/venue/resume`, l.token, 'POST');
    expect(docker('inspect', '-f', '{{.State.Paused}}', `killdrill-${runId}-venue`)).toBe('false');

    // Level 2 through the broker (inside knox's container) stops the trading daemons in tesseract's.
    const tesseractBots = new Set((await call<Array<{ slug: string; host: string }>>(`${l.brokerUrl}/bots`, l.token)).filter((b) => b.host === 'tesseract').map((b) => b.slug));
    expect(tesseractBots.size).toBeGreaterThan(0);
    const halt = await call<{ ok: boolean; stopped: Array<{ host: string; daemon: string; ok: boolean }> }>(`${l.brokerUrl}/halt/level`, l.token, 'POST', { level: 2, reason: 'docker test' });
    expect(halt.ok).toBe(true);
    expect(halt.stopped.filter((x) => x.host === 'tesseract').every((x) => x.ok)).toBe(true);
    await sleep(3000);
    const mark = (await ledger(l)).next;
    await sleep(3000);
    const after = await ledger(l, mark);
    expect(after.effects.filter((e) => tesseractBots.has(e.bot))).toEqual([]);
    const comps = await call<Component[]>(`${l.controlUrl}/components`, l.token);
    expect(comps.filter((c) => c.host === 'tesseract' && c.kind === 'daemon').every((c) => c.state !== 'running')).toBe(true);

    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(labelled(runId)).toEqual([]);
    rmSync(s.dir, { recursive: true, force: true });
  });
});

describe('sim up --runtime docker: cleanup after SIGKILL', () => {
  it('containers of a SIGKILLed sim up are removed by the next start (reaper)', async () => {
    const deadRun = `t-docker-dead-${process.pid}-${Date.now()}`;
    const a = simUp({ preset: 'principal', bots: 4, pollIntervalS: 1 }, deadRun);
    await a.line;
    expect(labelled(deadRun).length).toBe(8); // 7 containers + the run network
    a.child.kill('SIGKILL');
    await a.exited;
    await sleep(500);
    expect(labelled(deadRun).length).toBe(8); // nobody stopped them: sim up had no chance

    const nextRun = `t-docker-next-${process.pid}-${Date.now()}`;
    const b = simUp({ preset: 'principal', bots: 4, pollIntervalS: 1 }, nextRun);
    await b.line;
    expect(labelled(deadRun)).toEqual([]);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(labelled(nextRun)).toEqual([]);
    rmSync(a.dir, { recursive: true, force: true });
    rmSync(b.dir, { recursive: true, force: true });
  });
});
