// The docker runtime's per-run bridge network, on a real Docker daemon: every component
// container is on the run's own network (and on no other), its listening ports published
// on 127.0.0.1 only; the partition fault disconnects a host's container from that network
// (its bots fail closed, the other host's keep trading) and its heal reconnects it with the
// same alias; the fault is in the history of a `killdrill run`; and after the run, and
// after SIGINT, no container or network of the run is left. No Docker = a failure, never a skip.
import { beforeAll, describe, expect, it } from 'vitest';
import { simUpChild } from './support/sim-up-child.ts';
import { docker, labelled, requireDockerFleetImage } from './support/docker.ts';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { partition } from '../harness/faults/link-faults.ts';
import { listComponents } from '../harness/faults/control-api.ts';
import type { FleetEndpoints } from '../harness/runtime/index.ts';
import { DEFAULT_KEY_PREFIX } from '../contracts/index.ts';
import { phaseStreamKey } from '../fleet-sim/model.ts';
import { killdrill, readOps, runDirs, scenarioFile } from './faults-helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let image = '';

type Line = FleetEndpoints & { links: Record<string, { listen: string; upstream: string }> };
interface Effect { seq: number; bot: string; receivedAt: number }

interface Inspect {
  Name: string;
  HostConfig: { NetworkMode: string; PidMode: string; PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> | null };
  NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }>; Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> };
}

function inspect(name: string): Inspect {
  return (JSON.parse(docker('inspect', name)) as Inspect[])[0];
}

async function ledgerTail(l: Line): Promise<number> {
  let after = 0;
  for (;;) {
    const res = await fetch(`${l.venueUrl}/ledger?after=${after}`, { headers: { authorization: `Bearer ${l.token}` }, signal: AbortSignal.timeout(10_000) });
    const page = (await res.json()) as { effects: Effect[]; next: number };
    if (!page.effects.length) return after;
    after = page.next;
  }
}

async function effectsAfter(l: Line, after: number): Promise<Effect[]> {
  const out: Effect[] = [];
  for (;;) {
    const res = await fetch(`${l.venueUrl}/ledger?after=${after}`, { headers: { authorization: `Bearer ${l.token}` }, signal: AbortSignal.timeout(10_000) });
    const page = (await res.json()) as { effects: Effect[]; next: number };
    if (!page.effects.length) return out;
    out.push(...page.effects);
    after = page.next;
  }
}

beforeAll(async () => {
  image = await requireDockerFleetImage();
}, 600_000);

function simUp(config: Record<string, unknown>, runId: string) {
  const t0 = Date.now();
  const s = simUpChild<Line>(config, { runId, args: ['--runtime', 'docker'], tmpPrefix: 'killdrill-dockernet-', env: { ...process.env, KILLDRILL_FLEET_IMAGE: image, TESTCONTAINERS_RYUK_DISABLED: 'true' } });
  void s.line.then(() => process.stderr.write(`docker fleet (bridge network) up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`), () => {});
  return s;
}

describe('sim up --runtime docker: the run network', () => {
  it('containers on the run network only, ports on 127.0.0.1 only; partition disconnects a host, heal reconnects it; SIGINT leaves nothing', { timeout: 240_000 }, async () => {
    const runId = `t-dnet-${process.pid}-${Date.now()}`;
    const s = simUp({ preset: 'principal', bots: 8, pollIntervalS: 1 }, runId);
    const l = await s.line;
    const net = `killdrill-${runId}-net`;
    expect(l.runtime).toBe('docker');
    expect(l.network).toBe(net);

    // The network exists, carries the run's labels, and every component container is on it.
    const netInfo = (JSON.parse(docker('network', 'inspect', net)) as Array<{ Driver: string; Labels: Record<string, string>; Containers: Record<string, { Name: string }> }>)[0];
    expect(netInfo.Driver).toBe('bridge');
    expect(netInfo.Labels['killdrill.run']).toBe(runId);
    expect(netInfo.Labels['killdrill.owner']).toMatch(/^\d+:\d+$/);
    const components = ['apiserver', 'gateway', 'proxy', 'redis', 'supervisor.knox', 'supervisor.tesseract', 'venue'];
    expect(Object.values(netInfo.Containers).map((c) => c.Name).sort()).toEqual(components.map((c) => `killdrill-${runId}-${c}`));

    // Each container: only this network, its alias, the host pid namespace, every port published on 127.0.0.1 as the same number.
    const published: number[] = [];
    for (const c of components) {
      const i = inspect(`killdrill-${runId}-${c}`);
      expect(i.HostConfig.NetworkMode).toBe(net);
      expect(i.HostConfig.PidMode).toBe('host');
      expect(Object.keys(i.NetworkSettings.Networks)).toEqual([net]);
      expect(i.NetworkSettings.Networks[net].Aliases).toContain(c.replace('.', '-'));
      const bindings = Object.entries(i.HostConfig.PortBindings ?? {});
      expect(bindings.length, c).toBeGreaterThan(0);
      for (const [port, list] of bindings) {
        expect(list.length).toBe(1);
        expect(list[0].HostIp, `${c} ${port}`).toBe('127.0.0.1');
        expect(`${list[0].HostPort}/tcp`).toBe(port);
        published.push(Number(list[0].HostPort));
      }
      for (const list of Object.values(i.NetworkSettings.Ports)) for (const b of list ?? []) expect(b.HostIp).toBe('127.0.0.1');
    }
    // The endpoints the harness uses are those published ports on 127.0.0.1.
    for (const url of [l.brokerUrl, l.venueUrl, l.redisUrl, l.proxyUrl!, ...Object.values(l.hosts)]) {
      const u = new URL(url);
      expect(u.hostname).toBe('127.0.0.1');
      expect(published).toContain(Number(u.port));
    }
    // Inside the network the components dial each other by name, through the proxy.
    expect(l.links['bots-redis-poll.tesseract']).toEqual({ listen: expect.stringMatching(/^proxy:\d+$/), upstream: `redis:${new URL(l.redisUrl).port}` });
    expect(l.links['broker-hosts.tesseract'].upstream).toBe(`supervisor-tesseract:${new URL(l.hosts.tesseract).port}`);

    // Both hosts trade.
    const roster = (await (await fetch(`${l.brokerUrl}/bots`, { headers: { authorization: `Bearer ${l.token}` } })).json()) as Array<{ slug: string; host: string }>;
    const tesseract = new Set(roster.filter((b) => b.host === 'tesseract').map((b) => b.slug));
    const knox = new Set(roster.filter((b) => b.host === 'knox').map((b) => b.slug));
    expect(tesseract.size).toBeGreaterThan(0);
    expect(knox.size).toBeGreaterThan(0);
    let mark = await ledgerTail(l);
    await sleep(2000);
    const before = await effectsAfter(l, mark);
    expect(before.filter((e) => tesseract.has(e.bot)).length).toBeGreaterThan(0);
    expect(before.filter((e) => knox.has(e.bot)).length).toBeGreaterThan(0);

    // The partition fault (the harness's own object): tesseract's container leaves the network.
    const comps = await listComponents(l);
    expect(partition.check({ host: 'tesseract' }, comps, DEFAULT_KEY_PREFIX)).toBeNull();
    const t0 = Date.now();
    const active = await partition.inject({ fleet: l, components: comps, keyPrefix: DEFAULT_KEY_PREFIX }, { host: 'tesseract' });
    expect(active.detail).toMatchObject({ host: 'tesseract', form: 'network-disconnect', network: net, container: `killdrill-${runId}-supervisor.tesseract` });
    const cut = inspect(`killdrill-${runId}-supervisor.tesseract`);
    expect(Object.keys(cut.NetworkSettings.Networks)).toEqual([]);
    expect((await listComponents(l)).find((c) => c.name === 'supervisor.tesseract')?.state).toBe('disconnected');
    // Unreachable from the host too: its published port no longer answers.
    await expect(fetch(`${l.hosts.tesseract}/daemons`, { headers: { authorization: `Bearer ${l.token}` }, signal: AbortSignal.timeout(3000) })).rejects.toThrow();
    await sleep(2000); // the bots' poll timeout: fail closed
    mark = await ledgerTail(l);
    await sleep(3000);
    const during = await effectsAfter(l, mark);
    expect(during.filter((e) => tesseract.has(e.bot))).toEqual([]);
    expect(during.filter((e) => knox.has(e.bot)).length).toBeGreaterThan(0);

    // Heal: back on the network with the same alias, its port published again, its bots trade again.
    const tHeal = Date.now();
    const healed = await active.heal();
    expect(healed).toMatchObject({ form: 'network-connect', network: net, alias: 'supervisor-tesseract' });
    const back = inspect(`killdrill-${runId}-supervisor.tesseract`);
    expect(Object.keys(back.NetworkSettings.Networks)).toEqual([net]);
    expect(back.NetworkSettings.Networks[net].Aliases).toContain('supervisor-tesseract');
    expect(back.NetworkSettings.Ports[`${new URL(l.hosts.tesseract).port}/tcp`]).toEqual([{ HostIp: '127.0.0.1', HostPort: new URL(l.hosts.tesseract).port }]);
    mark = await ledgerTail(l);
    let again: Effect[] = [];
    for (let i = 0; i < 40 && !again.some((e) => tesseract.has(e.bot)); i++) {
      await sleep(500);
      again = await effectsAfter(l, mark);
    }
    expect(again.filter((e) => tesseract.has(e.bot)).length).toBeGreaterThan(0);
    expect((await fetch(`${l.hosts.tesseract}/daemons`, { headers: { authorization: `Bearer ${l.token}` } })).status).toBe(200);

    // The phase stream: every tesseract bot went Draining fail-closed during the partition, no knox bot did; Running after the heal.
    const redis = new Redis(l.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const phases: Array<{ slug: string; phase: string; reason: string; at: number }> = [];
    let runningAgain = new Set<string>();
    for (let i = 0; i < 40; i++) {
      phases.length = 0;
      for (const [, f] of await redis.xrange(phaseStreamKey('alphaswarm:bots:killswitch'), '-', '+')) {
        const o: Record<string, string> = {};
        for (let k = 0; k < f.length; k += 2) o[f[k]] = f[k + 1];
        phases.push({ slug: o.slug, phase: o.phase, reason: o.reason, at: Number(o.at) });
      }
      runningAgain = new Set(phases.filter((p) => tesseract.has(p.slug) && p.phase === 'Running' && p.at > tHeal).map((p) => p.slug));
      if (runningAgain.size === tesseract.size) break;
      await sleep(500);
    }
    await redis.quit();
    const failClosed = (set: Set<string>) => new Set(phases.filter((p) => set.has(p.slug) && p.phase === 'Draining' && p.reason.startsWith('fail-closed') && p.at >= t0 && p.at <= tHeal).map((p) => p.slug));
    expect(failClosed(tesseract)).toEqual(tesseract);
    expect(failClosed(knox).size).toBe(0);
    expect(runningAgain).toEqual(tesseract);

    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(labelled(runId)).toEqual([]);
    rmSync(s.dir, { recursive: true, force: true });
  });
});

const YAML = `name: docker-partition
description: A real partition (docker network disconnect) of node-b, healed, then a REST kill.
seed: 1
fleet:
  preset: alphaswarm
  bots: 8
  overrides: { pollIntervalS: 1 }
load: { warmup: 2s, duration: 30s }
faults:
  - { id: partition, at: 1s, kind: partition, params: { host: node-b }, heal: 4s }
kill: { at: 10s, path: rest, scope: platform, target: platform, mode: cancel }
release: { after: 4s }
expect:
  time-to-draining: { budgetS: 2 }
  time-to-stop: { budgetS: { hft: 8, standard: 8, paper: 8, agent: 8 } }
`;

describe('killdrill run --runtime docker: partition in the history', () => {
  it('records the network disconnect and its heal, passes, and leaves no container or network', { timeout: 300_000 }, async () => {
    const { file, outDir } = scenarioFile('docker-partition', YAML);
    const run = killdrill(['run', file, '--runtime', 'docker', '--out', outDir], { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true', KILLDRILL_FLEET_IMAGE: image });
    const code = await run.code;
    expect(run.out(), run.err()).toMatch(/^PASS docker-partition/m);
    expect(code).toBe(0);
    const [dir] = runDirs(outDir);
    const ops = readOps(dir);
    const runId = ops.find((o) => o.type === 'run-start')?.runId as string | undefined;
    const injected = ops.find((o) => o.type === 'fault-injected' && o.id === 'partition')!;
    const healed = ops.find((o) => o.type === 'fault-healed' && o.id === 'partition')!;
    expect(injected.detail).toMatchObject({ host: 'node-b', form: 'network-disconnect', component: 'supervisor.node-b' });
    expect(healed.ok).not.toBe(false);
    expect(healed.detail).toMatchObject({ form: 'network-connect', alias: 'supervisor-node-b' });

    const roster = ops.find((o) => o.type === 'roster')!.bots as Array<{ slug: string; host: string }>;
    const nodeB = new Set(roster.filter((b) => b.host === 'node-b').map((b) => b.slug));
    const nodeA = new Set(roster.filter((b) => b.host === 'node-a').map((b) => b.slug));
    const at = injected.at as number;
    const healAt = at + 4000;
    const phases = ops.filter((o) => o.type === 'phase');
    const failClosed = (set: Set<string>) => new Set(phases.filter((p) => set.has(p.slug as string) && p.phase === 'Draining' && String(p.reason).startsWith('fail-closed') && (p.at as number) > at && (p.at as number) < healAt).map((p) => p.slug));
    expect(failClosed(nodeB)).toEqual(nodeB);
    expect(failClosed(nodeA).size).toBe(0);
    const effects = ops.filter((o) => o.type === 'effect');
    expect(effects.filter((e) => nodeA.has(e.bot as string) && (e.receivedAt as number) > at + 1500 && (e.receivedAt as number) < healAt).length).toBeGreaterThan(0);
    expect(effects.filter((e) => nodeB.has(e.bot as string) && (e.receivedAt as number) > at + 1500 && (e.receivedAt as number) < healAt)).toEqual([]);

    expect(runId).toBeTruthy();
    expect(labelled(runId!)).toEqual([]);
  });
});
