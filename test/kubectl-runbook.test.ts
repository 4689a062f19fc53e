// Seed 000's runbook, verbatim, with the real kubectl against the apiserver + operator +
// redis-server (real processes), then the harness's crd path and the operator's ttl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { alphaswarm } from '../fleet-sim/presets/index.ts';
import { crdPath } from '../harness/kill-paths/index.ts';
import type { LeverEvent } from '../harness/kill-paths/index.ts';
import { freePort } from '../lib/ports.ts';

const NODE = process.execPath;
const PREFIX = 'alphaswarm:bots:killswitch';
const dir = mkdtempSync(join(tmpdir(), 'killdrill-runbook-'));
const kubeconfig = join(dir, 'kubeconfig');
const procs: ChildProcess[] = [];
let redisPort = 0;
let redis: Redis;
let sub: Redis;
const published: Array<{ op: string; key: string; value?: string }> = [];


/** Start a component and wait for its first stdout line (its ready line). */
function start(args: string[]): Promise<string> {
  const p = spawn(NODE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(p);
  let err = '';
  p.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    createInterface(p.stdout!).once('line', resolve);
    p.once('exit', (code) => reject(new Error(`killdrill: ${args[0]} exited ${code}: ${err}`)));
  });
}

/** Run a shell command the way an operator types it, with KUBECONFIG and a fresh HOME. */
function sh(script: string): { code: number; out: string; err: string } {
  const r = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('killdrill: condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  redisPort = await freePort();
  procs.push(spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }));
  redis = new Redis({ port: redisPort, host: '127.0.0.1', retryStrategy: () => 50 });
  await until(async () => (await redis.ping().catch(() => '')) === 'PONG');
  sub = new Redis({ port: redisPort, host: '127.0.0.1' });
  await sub.subscribe(`${PREFIX}:events`);
  sub.on('message', (_c, m) => published.push(JSON.parse(m)));
  const topology = alphaswarm(6);
  const fleet = {
    runId: 'runbook-test',
    config: { keyPrefix: PREFIX, defaultMode: 'cancel', dataDir: dir },
    topology,
    token: 'test-token',
    releaseToken: 'release-token',
    redis: { host: '127.0.0.1', port: redisPort },
    ports: { apiserver: await freePort() },
    kubeconfig,
    links: { 'operator-redis': { listen: `127.0.0.1:${redisPort}`, upstream: `127.0.0.1:${redisPort}` } },
  };
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify(fleet));
  const ready = JSON.parse(await start(['fleet-sim/apiserver/main.ts', join(dir, 'fleet.json')]));
  expect(ready).toMatchObject({ ready: true, port: fleet.ports.apiserver, kubeconfig });
  await start(['fleet-sim/operator/main.ts', join(dir, 'fleet.json')]);
  // a bot phase for the mirror to show
  await redis.hset(`alphaswarm:bots:phase`, 'mm-aapl', JSON.stringify({ slug: 'mm-aapl', phase: 'Running', at: Date.now() }));
});

afterAll(async () => {
  sub?.disconnect();
  redis?.disconnect();
  for (const p of procs.reverse()) p.kill('SIGTERM');
});

const KEY = `${PREFIX}:bot:mm-aapl`;

describe('seed 000 runbook with kubectl', () => {
  it('engages via `kubectl apply -f - <<EOF` and shows it in the runbook views', async () => {
    const apply = sh(`kubectl apply -f - <<EOF
apiVersion: quantbot.io/v1
kind: KillSwitch
metadata:
  name: emergency-venue-outage
  namespace: alphaswarm-bots
spec:
  scope: bot # bot | fleet | platform
  target: mm-aapl # bot slug / fleet name / "platform"
  mode: flatten # cancel | flatten | freeze
  reason: "venue outage; halting until investigation complete"
  ttl: 1h
EOF`);
    expect(apply).toMatchObject({ code: 0, out: 'killswitch.quantbot.io/emergency-venue-outage created\n' });
    const value = await until(() => redis.get(KEY));
    expect(JSON.parse(value)).toMatchObject({ mode: 'flatten', reason: 'venue outage; halting until investigation complete', by: 'operator', ttlS: 3600 });
    await until(async () => published.some((p) => p.op === 'engage' && p.key === KEY));
    const status = await until(async () => {
      const r = sh(`kubectl get killswitches -A -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.engaged}{"\\n"}{end}'`);
      return r.out.includes('true') && r.out;
    });
    expect(status).toBe('emergency-venue-outage\ttrue\n');
    const list = sh('kubectl get killswitches -A');
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+SCOPE\s+TARGET\s+MODE\s+ENGAGED\s+AGE$/);
    expect(list.out.split('\n')[1]).toMatch(/^alphaswarm-bots\s+emergency-venue-outage\s+bot\s+mm-aapl\s+flatten\s+true\s+\d+s$/);
    const bots = await until(async () => {
      const r = sh(`kubectl get bots -A -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.killSwitchEngaged}{"\\t"}{.status.killSwitchReason}{"\\n"}{end}'`);
      // The operator creates each Bot and then writes its status (a separate request, as on a real
      // apiserver with the status subresource), several at a time: wait for six Bots, each with a status.
      const rows = r.out.split('\n').filter(Boolean);
      return r.out.includes('mm-aapl\ttrue') && rows.length === 6 && rows.every((l) => /\t(true|false)\t/.test(l)) && r.out;
    });
    const lines = bots.split('\n').filter(Boolean);
    expect(lines).toHaveLength(6);
    expect(lines).toContain('mm-aapl\ttrue\tvenue outage; halting until investigation complete');
    expect(lines.filter((l) => l.endsWith('\tfalse\t'))).toHaveLength(5);
    expect(sh(`kubectl get bot mm-aapl -n alphaswarm-bots -o jsonpath='{.status.phase}'`).out).toBe('Running');
    // re-applying the same manifest changes nothing
    expect(sh(`kubectl apply -f - <<EOF
apiVersion: quantbot.io/v1
kind: KillSwitch
metadata:
  name: emergency-venue-outage
  namespace: alphaswarm-bots
spec:
  scope: bot
  target: mm-aapl
  mode: flatten
  reason: "venue outage; halting until investigation complete"
  ttl: 1h
EOF`).out).toBe('killswitch.quantbot.io/emergency-venue-outage unchanged\n');
  });

  it('releases via `kubectl delete killswitch … -n alphaswarm-bots`', async () => {
    const del = sh('kubectl delete killswitch emergency-venue-outage -n alphaswarm-bots');
    expect(del).toMatchObject({ code: 0, out: 'killswitch.quantbot.io "emergency-venue-outage" deleted\n' });
    await until(async () => (await redis.exists(KEY)) === 0);
    await until(async () => published.some((p) => p.op === 'release' && p.key === KEY));
    expect(sh('kubectl get killswitches -A')).toMatchObject({ code: 0, err: 'No resources found\n' });
  });

  it('bad input gets kubectl’s usual errors and the apiserver stays up', () => {
    const cases: Array<[string, RegExp]> = [
      ['apiVersion: quantbot.io/v1\nkind: KillSwitch\nmetadata:\n  name: x\n spec: [\n', /^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+/],
      ['{"apiVersion": "quantbot.io/v1", "kind": "KillSwitch", "metadata": {"name": "x"\n', /^error: error parsing STDIN/],
      ['apiVersion: quantbot.io/v2\nkind: KillSwitch\nmetadata:\n  name: x\nspec:\n  scope: bot\n', /no matches for kind "KillSwitch" in version "quantbot.io\/v2"/],
      ['apiVersion: quantbot.io/v1\nkind: KillSwich\nmetadata:\n  name: x\nspec:\n  scope: bot\n', /no matches for kind "KillSwich" in version "quantbot.io\/v1"/],
      [
        'apiVersion: quantbot.io/v1\nkind: KillSwitch\nmetadata:\n  name: x\nspec:\n  scope: galaxy\n  mode: nuke\n  ttl: 1hour\n',
        /The KillSwitch "x" is invalid: \n\* spec\.scope: Unsupported value: "galaxy": supported values: "bot", "fleet", "platform".*\n\* spec\.target: Required value\n\* spec\.mode: Unsupported value: "nuke".*\n\* spec\.ttl: Invalid value: "1hour"/,
      ],
      ['apiVersion: quantbot.io/v1\nkind: KillSwitch\nmetadata:\n  name: x\nspec:\n  scope: bot\n  target: a\n  mode: cancel\n  colour: red\n', /Error from server \(BadRequest\): .*strict decoding error: unknown field "spec\.colour"/],
      ['apiVersion: quantbot.io/v1\nkind: KillSwitch\nmetadata:\n  name: Bad_Name\nspec:\n  scope: bot\n  target: a\n  mode: cancel\n', /metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/],
    ];
    for (const [manifest, want] of cases) {
      const r = sh(`kubectl apply -f - <<'EOF'\n${manifest}EOF`);
      expect(r.code, manifest).not.toBe(0);
      expect(r.err, manifest).toMatch(want);
    }
    expect(sh('kubectl get killswitch nope -n alphaswarm-bots')).toMatchObject({ code: 1, err: 'Error from server (NotFound): killswitches.quantbot.io "nope" not found\n' });
    expect(sh('kubectl get --raw /version').code).toBe(0);
  });
});

describe('crd kill path and ttl', () => {
  it('engages (ack on 201, engaged on status.engaged) and releases (key gone)', async () => {
    const events: LeverEvent[] = [];
    const fleet = { runId: 'r', preset: 'alphaswarm', redisUrl: `redis://127.0.0.1:${redisPort}`, brokerUrl: '', venueUrl: '', token: '', releaseToken: '', controlUrl: '', hosts: {}, dataDir: dir, kubeconfig };
    const req = { scope: 'fleet', target: 'market-making', mode: 'cancel' as const, reason: 'drill' };
    await crdPath(PREFIX).engage(fleet, req, (e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(['lever-issued', 'lever-ack', 'lever-engaged']);
    expect(await redis.get(`${PREFIX}:fleet:market-making`)).toContain('"by":"operator"');
    events.length = 0;
    await crdPath(PREFIX).release(fleet, req, (e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(['lever-issued', 'lever-ack', 'lever-engaged']);
    expect(await redis.exists(`${PREFIX}:fleet:market-making`)).toBe(0);
  });

  it('releases the key and deletes the KillSwitch when its ttl elapses', async () => {
    const r = sh(`kubectl apply -f - <<EOF
apiVersion: quantbot.io/v1
kind: KillSwitch
metadata:
  name: short-lived
  namespace: alphaswarm-bots
spec:
  scope: platform
  target: platform
  mode: freeze
  reason: "ttl test"
  ttl: 2s
EOF`);
    expect(r.code).toBe(0);
    const key = `${PREFIX}:platform:platform`;
    await until(async () => (await redis.exists(key)) === 1);
    await until(async () => (await redis.exists(key)) === 0, 6000);
    await until(async () => published.some((p) => p.op === 'release' && p.key === key));
    expect(sh('kubectl get killswitch short-lived -n alphaswarm-bots').code).toBe(1);
  });
});
