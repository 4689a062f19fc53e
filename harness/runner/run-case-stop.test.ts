// run-case.ts and its stop conditions, without a fleet: a fake runtime hands back a fake fleet (one
// HTTP server on 127.0.0.1 answering the roster, ledger, status, control and halt endpoints; its
// Redis a real, empty redis-server, which preflight reads: nothing engaged, its clock). A stop condition that holds after the kill was pulled ends the case
// interrupted with its reason, and the finally block still heals the fault and releases the kill.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HALT_ENDPOINTS } from '../../contracts/index.ts';
import { parseScenarioText } from '../scenario/index.ts';
import { planFromScenario } from './plan-from-scenario.ts';
import { runCase } from './run-case.ts';
import { silentProgress } from './progress.ts';
import type { Runtime } from '../runtime/index.ts';
import type { OpInput } from './emit.ts';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.ts';

const scenario = (extra: string) => `name: stop-wiring
description: d
seed: 1
fleet: { preset: alphaswarm, bots: 1 }
load: { warmup: 1s, duration: 60s }
kill: { at: 1s, path: rest, scope: platform, target: platform, mode: cancel }
${extra}`;

interface FakeFleet {
  server: Server;
  base: string;
  redisUrl: string;
  requests: string[];
}

let fleets: FakeFleet[] = [];
let redis: RedisServer;
beforeAll(async () => void (redis = await startRedisServer()));
afterAll(async () => redis.stop());
afterEach(async () => {
  for (const f of fleets) await new Promise<void>((r) => f.server.close(() => r()));
  fleets = [];
});

async function fakeFleet(): Promise<FakeFleet> {
  const requests: string[] = [];
  let ledgerRead = false;
  const answer = (req: IncomingMessage): unknown => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/bots') return [{ slug: 'b1', host: 'h1', daemon: 'd1', fleet: 'f', tenant: 't', group: 'bots', class: 'hft', asset: 'BTC-USD', phase: 'Running' }];
    if (path === '/daemons') return [{ name: 'd1', tags: ['trading'] }];
    if (path === '/components') return [{ name: 'venue', kind: 'daemon', pid: 1, state: 'running' }];
    if (path === '/ledger') {
      // The backlog (one effect) once to the observer; preflight's probe (limit=1) reads without taking it.
      if (ledgerRead || new URL(req.url ?? '', 'http://x').searchParams.get('limit') === '1') return { effects: [], next: 1 };
      ledgerRead = true;
      return { effects: [{ seq: 1, key: 'k1', bot: 'b1', kind: 'order', dispatchedAt: 1, receivedAt: 1 }], next: 1 };
    }
    if (path === '/events') return { events: [], next: 0 };
    if (path === '/audit') return { entries: [], next: 0 };
    if (path === '/status') return { haltLevel: 0, incident: null, engaged: [], bootId: 'boot' };
    return {};
  };
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(req))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const f = { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, redisUrl: redis.url, requests };
  fleets.push(f);
  return f;
}

function fakeRuntime(f: FakeFleet, stopped: string[]): Runtime {
  return {
    name: 'process',
    start: async (req) => ({
      endpoints: { runId: req.runId, preset: req.preset, redisUrl: f.redisUrl, brokerUrl: f.base, venueUrl: f.base, controlUrl: f.base, hosts: { h1: f.base }, token: 't', releaseToken: 'rt', dataDir: req.dataDir },
      exited: () => null,
      stop: async () => void stopped.push('stopped'),
    }),
  };
}

async function run(text: string, stop: (f: FakeFleet) => { reason(): string | null }, stopOnNoRestart = false) {
  const f = await fakeFleet();
  const stopped: string[] = [];
  const ops: OpInput[] = [];
  const plan = planFromScenario(parseScenarioText(text, 'stop-wiring.yaml').cases[0]);
  const r = await runCase(plan, {
    runId: 'run-1', dataDir: '/nonexistent', runtime: fakeRuntime(f, stopped), emit: (o) => void ops.push(o), progress: silentProgress,
    signal: new AbortController().signal, stop: stop(f), ...(stopOnNoRestart ? { stopOnNoRestart: true } : {}),
  });
  return { r, ops, requests: f.requests, stopped };
}

const halts = Object.keys(HALT_ENDPOINTS).map((p) => `POST ${p}`);

describe('run-case with a stop condition (fake fleet)', () => {
  it('a stop condition that holds once the kill is pulled: interrupted with its reason, fault healed, this kill released, fleet stopped', async () => {
    const reason = 'killdrill: stop condition --guard http://127.0.0.1:9/health turned bad 2s into the case: GET answered 503';
    const t = await run(scenario('faults:\n  - { at: 0s, kind: process-pause, params: { target: venue } }\nrelease: { after: 50s }\n'), (f) => ({
      reason: () => (halts.every((h) => f.requests.includes(h)) ? reason : null),
    }));
    expect(t.r).toMatchObject({ status: 'interrupted', reason, inScope: ['b1'] });
    expect(t.ops.find((o) => o.type === 'stop-condition')).toMatchObject({ reason });
    expect(t.requests).toContain('POST /components/venue/pause');
    expect(t.requests).toContain('POST /components/venue/resume');
    const healed = t.ops.find((o) => o.type === 'fault-healed');
    expect(healed).toMatchObject({ id: 'process-pause-1', kind: 'process-pause' });
    expect(healed).not.toHaveProperty('error');
    expect(t.ops.find((o) => o.type === 'lever-abort-release' && o.phase === 'done')).toMatchObject({ ok: true });
    expect(t.requests.filter((q) => q === 'POST /killswitch/release')).toHaveLength(halts.length);
    // healed before the release, so the release can reach the fleet
    expect(t.requests.indexOf('POST /components/venue/resume')).toBeLessThan(t.requests.indexOf('POST /killswitch/release'));
    expect(t.stopped).toEqual(['stopped']);
  });

  it('a stop condition that holds from the start: interrupted before any lever is pulled, nothing to release', async () => {
    const t = await run(scenario('release: { after: 50s }\n'), () => ({ reason: () => 'killdrill: stop condition --max-case-duration 1ms: the case ran 5 ms' }));
    expect(t.r).toMatchObject({ status: 'interrupted', reason: 'killdrill: stop condition --max-case-duration 1ms: the case ran 5 ms' });
    expect(t.requests.some((q) => halts.includes(q))).toBe(false);
    expect(t.ops.some((o) => o.type === 'lever-abort-release')).toBe(false);
    expect(t.stopped).toEqual(['stopped']);
  });

  it("a stop condition that holds while the fleet starts aborts the start (the runtime's signal): interrupted, nothing else done", async () => {
    let starting = false;
    let aborted = false;
    const runtime: Runtime = {
      name: 'process',
      start: (_req, signal) =>
        new Promise((_resolve, reject) => {
          starting = true;
          signal!.addEventListener('abort', () => ((aborted = true), reject(new Error('killdrill: interrupted while the fleet was starting'))), { once: true });
        }),
    };
    const ops: OpInput[] = [];
    const reason = 'killdrill: stop condition --max-case-duration 5s: the case ran 5.00 s, longer than its cap; raise the cap or shorten the scenario';
    const plan = planFromScenario(parseScenarioText(scenario('release: { after: 50s }\n'), 'stop-wiring.yaml').cases[0]);
    const r = await runCase(plan, {
      runId: 'run-2', dataDir: '/nonexistent', runtime, emit: (o) => void ops.push(o), progress: silentProgress, signal: new AbortController().signal,
      stop: { reason: () => (starting ? reason : null) },
    });
    expect(aborted).toBe(true);
    expect(r).toMatchObject({ status: 'interrupted', reason });
    expect(ops.map((o) => o.type)).toEqual(['stop-condition']);
  });

  it('--stop-on-no-restart: bots not Running within the restart budget after the release end the case interrupted, named', async () => {
    const text = scenario('release: { after: 1s }\nexpect:\n  restart-after-release: { budgetS: 1 }\nskip: [time-to-draining, time-to-stop]\n');
    const t = await run(text, () => ({ reason: () => null }), true);
    expect(t.r.status).toBe('interrupted');
    expect(t.r.reason).toBe('killdrill: stop condition --stop-on-no-restart: 1 bot(s) not Running again within the 1 s restart budget after the release: b1 (no phase seen); check those bots before drilling on');
    expect(t.requests.filter((q) => q === 'POST /killswitch/release')).toHaveLength(halts.length);
    expect(t.ops.some((o) => o.type === 'lever-abort-release')).toBe(false); // released by the timeline, not again
  });

  it('control: the same case without --stop-on-no-restart completes', async () => {
    const text = scenario('release: { after: 1s }\nexpect:\n  restart-after-release: { budgetS: 1 }\nskip: [time-to-draining, time-to-stop]\n');
    const t = await run(text, () => ({ reason: () => null }));
    expect(t.r.status, t.r.reason).toBe("completed");
  });
});
