// `killdrill run … --target FILE` (the case runner replaced by a fake that records what it was given):
// every refusal is exit 2 with its reason and nothing starts — no case is run, no runtime started; an
// allowed external target runs its cases on the external runtime; a simulated one replaces `fleet:`.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, type RunDeps } from './run-command.ts';
import { silentProgress } from '../runner/progress.ts';
import type { ScenarioCase } from '../scenario/index.ts';
import type { RunScenarioOptions } from '../runner/run-scenario.ts';

const SCENARIO = (extra = '') => `name: t
description: d
fleet: { preset: alphaswarm }
load: { warmup: 2s, duration: 40s }
kill: { at: 2s, path: rest, scope: platform, mode: cancel }
release: { after: 3s }
${extra}`;

const EXTERNAL = (over: Record<string, string> = {}) => {
  const f = {
    head: 'kind: external\nname: stand-in\nenvironment: staging\nallowDrill: true\n',
    redis: 'redis:\n  url: redis://127.0.0.1:6390\n  passwordEnv: SI_REDIS_PASSWORD\n',
    broker: 'broker:\n  url: http://127.0.0.1:7001\n  tokenEnv: SI_TOKEN\n  releaseTokenEnv: SI_RELEASE_TOKEN\n',
    rest: 'ledger:\n  url: http://127.0.0.1:7002/ledger\njournal:\n  url: http://127.0.0.1:7001/journal\n  tokenEnv: SI_TOKEN\nphases:\n  source: redis-stream\nbots:\n  source: rest\n  url: http://127.0.0.1:7001/bots\n  tokenEnv: SI_TOKEN\n',
    toxiproxy: '',
    ...over,
  };
  return f.head + f.redis + f.broker + f.rest + f.toxiproxy;
};
const ENV = { SI_TOKEN: 'op-secret', SI_RELEASE_TOKEN: 'risk-secret', SI_REDIS_PASSWORD: 'pw' };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(scenario: string, target: string, env: Record<string, string | undefined> = ENV) {
  const d = mkdtempSync(join(tmpdir(), 'kd-target-'));
  dirs.push(d);
  writeFileSync(join(d, 's.yaml'), scenario);
  writeFileSync(join(d, 't.yaml'), target);
  const err: string[] = [];
  const ran: Array<{ c: ScenarioCase; opts: RunScenarioOptions }> = [];
  const started: string[] = [];
  const deps: RunDeps = {
    io: { out: () => {}, err: (l) => err.push(l) },
    runtimeByName: (name) => ({ name, start: async () => (started.push(name), Promise.reject(new Error('not used'))) }),
    runCase: async (c, opts) => {
      ran.push({ c, opts });
      return { outcome: 'passed', invalidInput: false, reasons: [], replay: 'r', runDir: 'out/runs/x', result: {} as never };
    },
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
    env,
  };
  const run = (...extra: string[]) => runMain([join(d, 's.yaml'), '--target', join(d, 't.yaml'), ...extra], deps);
  return { run, err, ran, started, dir: d };
}

/** Exit 2, nothing run or started, and the reason said. */
async function refused(t: ReturnType<typeof setup>, code: Promise<number>, reason: RegExp) {
  expect(await code).toBe(2);
  expect(t.ran).toEqual([]);
  expect(t.started).toEqual([]);
  expect(t.err.join('\n')).toMatch(reason);
  expect(t.err.every((l) => l.startsWith('killdrill: '))).toBe(true);
  expect(t.err.at(-1)).toMatch(/nothing was started/);
}

describe('killdrill run --target: refusals before anything starts', () => {
  it('an external target that says allowDrill: false', async () => {
    const t = setup(SCENARIO(), EXTERNAL({ head: 'kind: external\nname: stand-in\nenvironment: staging\nallowDrill: false\n' }));
    await refused(t, t.run(), /target 'stand-in' says allowDrill: false, so no lever may be pulled on it/);
  });

  it('a production target without --confirm, or with the wrong name; with --confirm production it runs', async () => {
    const prod = EXTERNAL({ head: 'kind: external\nname: live\nenvironment: production\nallowDrill: true\n' });
    let t = setup(SCENARIO(), prod);
    await refused(t, t.run(), /target 'live' is the production environment; .* give --confirm production/);
    t = setup(SCENARIO(), prod);
    await refused(t, t.run('--confirm', 'staging'), /--confirm 'staging' does not match target 'live''s environment 'production'/);
    t = setup(SCENARIO(), prod);
    expect(await t.run('--confirm', 'production'), t.err.join('\n')).toBe(0);
    expect(t.ran).toHaveLength(1);
  });

  it('a token variable the target names that is not set (or empty)', async () => {
    const t = setup(SCENARIO(), EXTERNAL(), { SI_TOKEN: 'op-secret', SI_RELEASE_TOKEN: '' });
    await refused(t, t.run(), /names token variable\(s\) that are not set: SI_REDIS_PASSWORD \(redis\.passwordEnv\), SI_RELEASE_TOKEN \(broker\.releaseTokenEnv\)/);
  });

  it('a process kill of a named component (simulator only), every such fault named', async () => {
    const t = setup(SCENARIO('faults:\n  - { kind: process-kill, at: 1s, params: { target: redis } }\n  - { kind: broker-restart, at: 1s }\n'), EXTERNAL());
    await refused(t, t.run(), /fault 'process-kill' \(process-kill-1\) kills a named component through the simulator's control API/);
    expect(t.err.join('\n')).toMatch(/fault 'broker-restart' \(broker-restart-2\) restarts the broker component/);
  });

  it('catalog bugs (planted in the simulator\'s code)', async () => {
    const t = setup(SCENARIO().replace('fleet: { preset: alphaswarm }', 'fleet: { preset: alphaswarm, bugs: [fail-open] }'), EXTERNAL());
    await refused(t, t.run(), /fleet\.bugs \(fail-open\) are catalog bugs planted in the simulator's code/);
  });

  it('a link fault without the target\'s toxiproxy.url; with one, it is let through', async () => {
    const fault = 'faults:\n  - { kind: link-latency, at: 1s, params: { link: bots-redis-sub.node-a, latencyMs: 50 } }\n';
    let t = setup(SCENARIO(fault), EXTERNAL());
    await refused(t, t.run(), /fault 'link-latency' .* the target names no toxiproxy\.url/);
    t = setup(SCENARIO(fault), EXTERNAL({ toxiproxy: 'toxiproxy:\n  url: http://127.0.0.1:8474\n' }));
    expect(await t.run(), t.err.join('\n')).toBe(0);
  });

  it('a lever whose endpoint the target does not name (rest without a broker)', async () => {
    const noTokens = 'ledger:\n  url: http://127.0.0.1:7002/ledger\njournal:\n  url: http://127.0.0.1:7001/journal\nphases:\n  source: redis-stream\nbots:\n  source: rest\n  url: http://127.0.0.1:7001/bots\n';
    const t = setup(SCENARIO(), EXTERNAL({ broker: '', rest: noTokens }));
    await refused(t, t.run(), /the rest path calls the broker's halt endpoints, and the target names no broker/);
  });

  it('a sequence leg whose path the target lacks (crd without kubernetes) is refused at the leg\'s line', async () => {
    const seq = SCENARIO('sequence:\n  - path: rest\n  - path: crd\n  - path: redis\n');
    const t = setup(seq, EXTERNAL());
    await refused(t, t.run(), /s\.yaml:9:5 \[leg=2,kill\.path=crd\]: .*crd/);
    expect(t.err.join('\n')).not.toMatch(/leg=1|leg=3/);
  });

  it('--jobs above 1 and --runtime with an external target', async () => {
    let t = setup(SCENARIO('matrix:\n  kill.mode: [cancel, freeze]\n'), EXTERNAL());
    await refused(t, t.run('--jobs', '2'), /an external target is one system/);
    t = setup(SCENARIO(), EXTERNAL());
    expect(await t.run('--runtime', 'docker')).toBe(2);
    expect(t.err.join('\n')).toMatch(/--runtime and --target both say what runs the fleet/);
    expect(t.ran).toEqual([]);
  });
});

describe('killdrill run --target: what runs', () => {
  it('an allowed external target: the external runtime, its endpoints from the file and the environment; start and stop touch nothing', async () => {
    const t = setup(SCENARIO(), EXTERNAL());
    expect(await t.run(), t.err.join('\n')).toBe(0);
    expect(t.started).toEqual([]);
    const { c, opts } = t.ran[0];
    expect(opts.target).toEqual({ file: join(t.dir, 't.yaml'), kind: 'external', name: 'stand-in', environment: 'staging' });
    expect(opts.runtime.name).toBe('external:stand-in');
    expect(c.scenario.fleet.bugs).toEqual([]);
    const h = await opts.runtime.start({ preset: 'alphaswarm', runId: 'r1', dataDir: '/nonexistent' });
    expect(h.endpoints).toMatchObject({
      runId: 'r1',
      redisUrl: 'redis://:pw@127.0.0.1:6390',
      brokerUrl: 'http://127.0.0.1:7001',
      token: 'op-secret',
      releaseToken: 'risk-secret',
      hosts: {},
      reads: { bots: { url: 'http://127.0.0.1:7001/bots', token: 'op-secret' }, ledger: { url: 'http://127.0.0.1:7002/ledger' }, journal: { url: 'http://127.0.0.1:7001/journal', token: 'op-secret' } },
      external: { name: 'stand-in', environment: 'staging' },
    });
    expect(h.endpoints.controlUrl).toBeUndefined();
    expect(h.endpoints.dataDir).toBeUndefined();
    expect(h.endpoints.reads?.venue).toBeUndefined();
    expect(h.exited()).toBeNull();
    await h.stop();
  });

  it('a simulated target replaces each case\'s fleet: and runtime', async () => {
    const t = setup(SCENARIO(), 'kind: simulated\nname: big\npreset: alphaswarm\nbots: 96\nbugs: [fail-open]\noverrides: { pollIntervalS: 0.5 }\nruntime: docker\n');
    expect(await t.run()).toBe(0);
    expect(t.ran[0].c.scenario.fleet).toEqual({ preset: 'alphaswarm', bots: 96, bugs: ['fail-open'], overrides: { pollIntervalS: 0.5 } });
    expect(t.ran[0].opts.runtime.name).toBe('docker');
    expect(t.ran[0].opts.target).toEqual({ file: join(t.dir, 't.yaml'), kind: 'simulated', name: 'big' });
  });

  it('2x-peak takes the target\'s peak: a simulated or external target that declares none is refused; the scenario\'s fleet.peak never reaches an external target', async () => {
    const k6 = '  k6: { script: broker-ui, rate: 2x-peak }\n';
    const withPeak = SCENARIO().replace('fleet: { preset: alphaswarm }', 'fleet: { preset: alphaswarm, peak: { brokerRequestsPerS: 50, measured: "rest-k6 1x load held by load-held" } }').replace('duration: 40s }', 'duration: 40s,\n' + k6.replace('  k6:', '  k6:') + '}');
    const peak = 'peak: { brokerRequestsPerS: 120, measured: "staging broker counter, 1-s max, November" }\n';
    let t = setup(withPeak, EXTERNAL());
    await refused(t, t.run(), /load\.k6\.rate 2x-peak needs the target's measured peak, and target stand-in .* declares none/);
    t = setup(withPeak, 'kind: simulated\nname: big\npreset: alphaswarm\n');
    await refused(t, t.run(), /target big .* declares none/);
    t = setup(withPeak, EXTERNAL({ toxiproxy: peak }));
    expect(await t.run(), t.err.join('\n')).toBe(0);
    expect(t.ran[0].c.scenario.fleet.peak).toEqual({ brokerRequestsPerS: 120, measured: 'staging broker counter, 1-s max, November' });
    t = setup(withPeak, 'kind: simulated\nname: big\npreset: alphaswarm\n' + peak);
    expect(await t.run(), t.err.join('\n')).toBe(0);
    expect(t.ran[0].c.scenario.fleet.peak?.brokerRequestsPerS).toBe(120);
  });

  it('an invalid target file is exit 2 with its file:line error', async () => {
    const t = setup(SCENARIO(), 'kind: external\nname: x\n');
    await refused(t, t.run(), /t\.yaml:\d+:\d+: .*missing/);
  });
});
