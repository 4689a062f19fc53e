// The drill guard per fault kind and lever (the CLI's refusals are in harness/cli/run-target.test.ts):
// what only a simulator can provide is refused against an external target, what the target can give is not.
import { describe, expect, it } from 'vitest';
import { parseTargetText, externalRefusals, safetyRefusals, type ExternalTarget } from './index.ts';

const BASE = `kind: external
name: s
environment: staging
allowDrill: true
redis: { url: "redis://127.0.0.1:6390" }
broker: { url: "http://127.0.0.1:7001", tokenEnv: T }
ledger: { url: "http://127.0.0.1:7002/ledger" }
journal: { url: "http://127.0.0.1:7001/journal" }
phases: { source: redis-stream }
bots: { source: rest, url: "http://127.0.0.1:7001/bots" }
`;
const target = (extra = '') => parseTargetText(BASE + extra, 't.yaml') as ExternalTarget;
const refusals = (t: ExternalTarget, faults: Array<{ kind: string; params?: Record<string, unknown> }>, path = 'rest') =>
  externalRefusals(t, { file: 's.yaml', caseId: 'default', bugs: [], kill: { path }, faults: faults.map((f, i) => ({ id: `${f.kind}-${i + 1}`, kind: f.kind, params: f.params ?? {} })) });

describe('externalRefusals', () => {
  it('refuses every control-API fault, and flag-store-silent freeze; lets blackhole through with a toxiproxy', () => {
    const t = target('toxiproxy: { url: "http://127.0.0.1:8474" }\n');
    for (const kind of ['process-kill', 'process-pause', 'redis-down', 'operator-down', 'broker-restart', 'rogue-bot']) {
      expect(refusals(t, [{ kind }]), kind).toEqual([expect.stringMatching(new RegExp(`^killdrill: s\\.yaml: fault '${kind}' \\(${kind}-1\\) .*simulator's control API`))]);
    }
    expect(refusals(t, [{ kind: 'flag-store-silent' }])[0]).toMatch(/form 'freeze' SIGSTOPs the Redis process/);
    expect(refusals(t, [{ kind: 'flag-store-silent', params: { form: 'blackhole' } }])).toEqual([]);
    for (const kind of ['link-latency', 'link-down', 'pubsub-drop', 'partition']) expect(refusals(t, [{ kind }]), kind).toEqual([]);
    expect(refusals(target(), [{ kind: 'flag-store-silent', params: { form: 'blackhole' } }])[0]).toMatch(/names no toxiproxy\.url/);
    expect(refusals(t, [{ kind: 'made-up' }])[0]).toMatch(/not known to be injectable/);
  });

  it('levers: crd needs kubernetes; redis and broker-level need their endpoints', () => {
    expect(refusals(target(), [], 'crd')[0]).toMatch(/crd path creates a KillSwitch, and the target names no kubernetes/);
    expect(refusals(target('kubernetes: { kubeconfig: /k, context: c, namespace: n }\n'), [], 'crd')).toEqual([]);
    expect(refusals(target(), [], 'redis')).toEqual([]);
    expect(refusals(target(), [], 'broker-level')).toEqual([]);
    const noBroker = parseTargetText(BASE.replace(/broker: .*\n/, ''), 't.yaml') as ExternalTarget;
    expect(refusals(noBroker, [], 'broker-level')[0]).toMatch(/broker-level path calls the broker's \/halt\/level/);
    expect(refusals(target(), [], 'pigeon')[0]).toMatch(/kill path 'pigeon' is not known/);
  });

  it('phases by bot-watch and bots from Kubernetes are not wired yet', () => {
    const k8s = parseTargetText(BASE.replace('phases: { source: redis-stream }', 'phases: { source: bot-watch }').replace(/bots: .*\n/, 'bots: { source: kubernetes }\n') + 'kubernetes: { kubeconfig: /k, namespace: n }\n', 't.yaml') as ExternalTarget;
    const r = refusals(k8s, []);
    expect(r).toEqual([expect.stringMatching(/phases\.source 'bot-watch' is not wired yet/), expect.stringMatching(/bots\.source 'kubernetes' is not wired yet/)]);
  });
});

describe('safetyRefusals', () => {
  it('prod-like environments need --confirm with their exact name; other environments take none or their own', () => {
    for (const env of ['production', 'prod', 'prod-eu', 'production-us']) {
      const t = parseTargetText(BASE.replace('environment: staging', `environment: ${env}`), 't.yaml') as ExternalTarget;
      expect(safetyRefusals(t, 't.yaml'), env).toHaveLength(1);
      expect(safetyRefusals(t, 't.yaml', env), env).toEqual([]);
    }
    expect(safetyRefusals(target(), 't.yaml')).toEqual([]);
    expect(safetyRefusals(target(), 't.yaml', 'staging')).toEqual([]);
    expect(safetyRefusals(target(), 't.yaml', 'production')[0]).toMatch(/does not match target 's''s environment 'staging'/);
    expect(safetyRefusals(parseTargetText(BASE.replace('environment: staging', 'environment: preprod'), 't.yaml') as ExternalTarget, 't.yaml')).toEqual([]);
  });
});
