// fleet.overrides.proxyUrl (an external Toxiproxy): accepted as a loopback http URL and passed to the
// fleet; refused at load, with file:line and why, when it is anything else, on the docker runtime, or
// with a fault only killdrill's proxy can drive (pubsub-drop's channel form). The same for a
// simulated target file's overrides; and `run` refuses the docker runtime and --jobs > 1 on it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText } from './index.ts';
import { scenarioIssues } from './scenario-issues.ts';
import { planFromScenario } from '../runner/plan-from-scenario.ts';
import { applyTarget, TargetRefused } from '../cli/run-target.ts';
import { externalProxyRefusals } from '../faults/index.ts';
import { runMainStub } from '../cli/run-main-stub.ts';

const BASE = `name: t
description: d
fleet:
  preset: alphaswarm
  overrides:
    proxyUrl: http://127.0.0.1:8474
load:
  warmup: 3s
  duration: 40s
faults:
  - at: 2s
    kind: pubsub-drop
    params: { form: silent }
kill:
  at: 3s
  path: rest
  scope: platform
  mode: cancel
release:
  after: 6s
`;

describe('fleet.overrides.proxyUrl', () => {
  it("is accepted as a loopback http URL and reaches the fleet's config", () => {
    const l = parseScenarioText(BASE, 'x.yaml');
    expect(l.scenario.fleet.overrides.proxyUrl).toBe('http://127.0.0.1:8474');
    expect(planFromScenario(l.cases[0]).fleet.overrides.proxyUrl).toBe('http://127.0.0.1:8474');
  });

  it('refuses a URL that is not loopback http with a port, at its line', () => {
    for (const [url, why] of [
      ['http://10.1.2.3:8474', /host '10.1.2.3' is not a loopback address/],
      ['https://127.0.0.1:8474', /scheme 'https' is not accepted/],
      ['http://localhost', /has no port/],
      ['toxiproxy', /is not a URL/],
    ] as const) {
      const [i, ...rest] = scenarioIssues(BASE.replace('http://127.0.0.1:8474', url));
      expect(rest).toHaveLength(0);
      expect(i).toMatchObject({ file: 'x.yaml', line: 6, field: 'fleet.overrides.proxyUrl' });
      expect(i.message).toMatch(why);
    }
  });

  it('refuses the docker runtime with it, at the proxyUrl line', () => {
    const [i, ...rest] = scenarioIssues(`${BASE}runtime: docker\n`);
    expect(rest).toHaveLength(0);
    expect(i).toMatchObject({ line: 6, field: 'fleet.overrides.proxyUrl' });
    expect(i.message).toMatch(/cannot be reached from the docker runtime's run network/);
  });

  it("refuses pubsub-drop's channel form on it, naming the fault and why; accepted without proxyUrl", () => {
    const channel = BASE.replace('form: silent', 'form: channel');
    const [i, ...rest] = scenarioIssues(channel);
    expect(rest).toHaveLength(0);
    expect(i).toMatchObject({ line: 11, field: 'faults[0]' });
    expect(i.message).toMatch(/fault 'pubsub-drop' cannot be injected .*redis_channel_drop toxic, which only killdrill's fault proxy has/);
    expect(parseScenarioText(channel.replace('  overrides:\n    proxyUrl: http://127.0.0.1:8474\n', ''), 'x.yaml').cases).toHaveLength(1);
  });

  it("a simulated target file's proxyUrl: the same refusal of the channel form", () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-proxy-url-'));
    const target = join(dir, 'sim.yaml');
    writeFileSync(target, 'kind: simulated\nname: sim-tp\npreset: alphaswarm\noverrides:\n  proxyUrl: http://127.0.0.1:8474\n');
    const without = BASE.replace('  overrides:\n    proxyUrl: http://127.0.0.1:8474\n', '');
    const ok = applyTarget(target, parseScenarioText(without, 'x.yaml').cases, { jobs: 1, env: {} });
    expect(ok.cases[0].scenario.fleet.overrides.proxyUrl).toBe('http://127.0.0.1:8474');
    let refused: unknown;
    try {
      applyTarget(target, parseScenarioText(without.replace('form: silent', 'form: channel'), 'x.yaml').cases, { jobs: 1, env: {} });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(TargetRefused);
    expect((refused as TargetRefused).reasons).toEqual([expect.stringMatching(/^killdrill: x.yaml: fault 'pubsub-drop' cannot be injected into target sim-tp .*redis_channel_drop/)]);
  });

  it('run refuses it on the docker runtime (--runtime docker, a docker target) and side by side', () => {
    const c = (id: string, runtime: string, proxyUrl?: string) => ({ file: 'x.yaml', id, runtime, ...(proxyUrl ? { proxyUrl } : {}) });
    expect(externalProxyRefusals([c('default', 'process', 'http://127.0.0.1:8474')], 1)).toEqual([]);
    expect(externalProxyRefusals([c('a', 'process', 'http://127.0.0.1:8474'), c('b', 'process')], 2)).toEqual([]);
    expect(externalProxyRefusals([c('default', 'docker', 'http://127.0.0.1:8474')], 1)).toEqual([expect.stringMatching(/^killdrill: x.yaml: fleet.overrides.proxyUrl .* docker runtime's run network cannot reach/)]);
    expect(externalProxyRefusals([c('a', 'process', 'http://127.0.0.1:8474'), c('b', 'process', 'http://127.0.0.1:8474')], 2)).toEqual([expect.stringMatching(/^killdrill: --jobs 2: 2 cases run on the external Toxiproxy http:\/\/127.0.0.1:8474; .*collide/)]);
  });

  it('killdrill run: --runtime docker, a docker simulated target, --jobs 2 over two cases on it: exit 2, nothing runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-proxy-url-run-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, BASE);
    const two = join(dir, 'two.yaml');
    writeFileSync(two, `${BASE}matrix:\n  kill.mode: [cancel, flatten]\n`);
    const docker = join(dir, 'docker-target.yaml');
    writeFileSync(docker, 'kind: simulated\nname: sim-docker\npreset: alphaswarm\nruntime: docker\noverrides:\n  proxyUrl: http://127.0.0.1:8474\n');
    const go = runMainStub;
    const a = await go([file, '--runtime', 'docker']);
    expect([a.code, a.ran]).toEqual([2, 0]);
    expect(a.err[0]).toMatch(/fleet.overrides.proxyUrl http:\/\/127.0.0.1:8474 names an external Toxiproxy, which the docker runtime's run network cannot reach/);
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, BASE.replace('  overrides:\n    proxyUrl: http://127.0.0.1:8474\n', ''));
    const b = await go([plain, '--target', docker]);
    expect([b.code, b.ran]).toEqual([2, 0]);
    expect(b.err[0]).toMatch(/docker runtime's run network cannot reach/);
    const c = await go([two, '--jobs', '2']);
    expect([c.code, c.ran]).toEqual([2, 0]);
    expect(c.err[0]).toMatch(/^killdrill: --jobs 2: 2 cases run on the external Toxiproxy/);
    const d = await go([two]);
    expect([d.code, d.ran]).toEqual([0, 2]);
  });
});
