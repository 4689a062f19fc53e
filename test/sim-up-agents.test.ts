// `killdrill sim up --preset agents` end to end (issue 14 item 1): real redis-server, proxy, venue,
// gateway, supervisors, broker and the agent workers (fleet-sim/agents/main.ts) under their
// hosts' supervisors. The workers' ready lines are in their logs, each worker's GET /calls answers
// at the URL of sim up's line, a write tool's effect lands in the venue ledger, the runs are in
// the broker's /bots roster; stopping leaves nothing running.
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { runPids, simUpChild } from './support/sim-up-child.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Line {
  runId: string;
  redisUrl: string;
  preset: string;
  brokerUrl: string;
  venueUrl: string;
  token: string;
  dataDir: string;
  hosts: Record<string, string>;
  agents: Record<string, string>;
}
interface Call { kind: string; name: string; access?: string; run_id: string; status: number | null; effectKey?: string }
interface Effect { key: string; bot: string; kind: string; capability: string; run: string; tenant: string; fleet: string }

async function getJson<T>(url: string, token?: string): Promise<T> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('sim up --preset agents', () => {
  it('starts the agent workers under their supervisors; calls answer, a write lands in the ledger; stop leaves nothing', async () => {
    const runId = `t-agents-${process.pid}-${Date.now()}`;
    const s = simUpChild<Line>({ preset: 'agents', bots: 8, pollIntervalS: 1 }, { runId });
    try {
      const l = await s.line;
      expect(l.preset).toBe('agents');
      expect(Object.keys(l.hosts).sort()).toEqual(['agent-a', 'agent-b', 'control']);
      expect(Object.keys(l.agents).sort()).toEqual(['agent-a-w1', 'agent-a-w2', 'agent-b-w1', 'agent-b-w2']);

      // Each worker's ready line (its log) carries the control URL sim up printed.
      let runs = 0;
      for (const [worker, url] of Object.entries(l.agents)) {
        const ready = readFileSync(join(l.dataDir, 'logs', `${worker}.log`), 'utf8').split('\n').find((x) => x.startsWith('{"ready":true'));
        expect(ready, `${worker} ready line`).toBeDefined();
        expect(JSON.parse(ready!)).toMatchObject({ component: 'agent-worker', worker, controlUrl: url, gatewayConnected: true });
        runs += (JSON.parse(ready!) as { runs: number }).runs;
      }
      expect(runs).toBe(8);

      // The runs are in the broker's roster as bots of class agent (tenant, feature as fleet, run).
      const bots = await getJson<Array<{ slug: string; class: string; tenant: string; fleet: string; run: string; capability: string; phase: string }>>(`${l.brokerUrl}/bots`, l.token);
      expect(bots).toHaveLength(8);
      for (const b of bots) expect(b).toMatchObject({ class: 'agent', capability: `${b.fleet}-agent`, run: `run-${b.slug}`, phase: 'Running' });

      // A write tool's effect leaves through the gateway into the venue ledger, with the call's effect key.
      let writes: Call[] = [];
      let effects: Effect[] = [];
      for (let i = 0; i < 120 && !effects.some((e) => writes.some((w) => w.effectKey === e.key)); i++) {
        await sleep(500);
        const calls = (await Promise.all(Object.values(l.agents).map((u) => getJson<{ calls: Call[] }>(`${u}/calls?after=0`)))).flatMap((c) => c.calls);
        writes = calls.filter((c) => c.kind === 'tool' && c.access === 'write' && c.effectKey);
        effects = (await getJson<{ effects: Effect[] }>(`${l.venueUrl}/ledger?after=0`)).effects;
      }
      const landed = effects.find((e) => writes.some((w) => w.effectKey === e.key));
      expect(landed, 'a write tool effect in the ledger').toBeDefined();
      const bot = bots.find((b) => b.run === landed!.run.split('.')[0]);
      expect(landed).toMatchObject({ kind: 'action', tenant: bot?.tenant, fleet: bot?.fleet });
      expect(['place-order', 'send-email']).toContain(landed!.capability);

      // POST /tasks: a task for a run is queued (202); into a run whose scope is killed it is refused (409);
      // an unknown run is 404; any other body 400 (413 over 4 KiB), never a 5xx, and the worker answers on.
      const [worker0, url0] = Object.entries(l.agents)[0];
      const post = (body: string | Uint8Array) => fetch(`${url0}/tasks`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
      const root = (await getJson<{ runs: Array<{ run_id: string; parent: string | null }> }>(`${url0}/runs`)).runs.find((r) => r.parent === null)!.run_id;
      const accepted = await post(JSON.stringify({ run_id: root }));
      expect(accepted.status, worker0).toBe(202);
      expect(await accepted.json()).toEqual({ accepted: true, run_id: root });
      expect((await post(JSON.stringify({ run_id: 'run-nobody' }))).status).toBe(404);
      const bad = ['', 'null', '[]', '"x"', '{}', '{"run_id":""}', '{"run_id":7}', `{"run_id":"${root}","extra":1}`, '{"run_id":', '\u0000\u00ff'];
      for (const b of bad) {
        const r = await post(b);
        expect(r.status, b).toBe(400);
        expect(((await r.json()) as { error: string }).error).toMatch(/^killdrill: /);
      }
      expect((await post('{"run_id":"' + 'x'.repeat(5000) + '"}')).status).toBe(413);
      for (let i = 0; i < 50; i++) expect([400, 413]).toContain((await post(randomBytes(1 + Math.floor(Math.random() * 300)))).status);
      const redis = new Redis(l.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        await redis.set(`alphaswarm:bots:killswitch:run:${root}`, JSON.stringify({ mode: 'freeze', reason: 'tasks test' }));
        let refused: Response | undefined;
        for (let i = 0; i < 40 && refused?.status !== 409; i++) {
          await sleep(250);
          refused = await post(JSON.stringify({ run_id: root }));
        }
        expect(refused?.status).toBe(409);
        expect(((await refused!.json()) as { error: string }).error).toMatch(/^killdrill: run '.*' takes no task: its scope is killed/);
      } finally {
        await redis.del(`alphaswarm:bots:killswitch:run:${root}`);
        redis.disconnect();
      }
      const counted = await getJson<{ submissions: { accepted: number; refused: number } }>(`${url0}/runs`);
      expect(counted.submissions.accepted).toBeGreaterThanOrEqual(1);
      expect(counted.submissions.refused).toBeGreaterThanOrEqual(1);

      expect(runPids(runId).length).toBeGreaterThan(10);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
    expect(runPids(runId)).toEqual([]);
    rmSync(s.dir, { recursive: true, force: true });
  }, 120_000);

  it('refuses the docker runtime (exit 2, with what to do)', async () => {
    const s = simUpChild<Line>({ preset: 'agents' }, { runId: `t-agents-docker-${process.pid}`, args: ['--runtime', 'docker'] });
    expect(await s.exited).toBe(2);
    expect(s.stderr()).toMatch(/^killdrill: the agents preset runs as processes only.*drop --runtime docker/);
    rmSync(s.dir, { recursive: true, force: true });
  });
});
