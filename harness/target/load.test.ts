// The target file: the examples load; every kind of error names file:line:col and the field;
// targets/schema.json is the generated one; tokens pasted where an env-var name belongs are refused.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadTargetFile, looksLikeToken, parseTargetText, TargetError, targetJsonSchema, type TargetIssue } from './index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLE = readFileSync(join(ROOT, 'targets/external.example.yaml'), 'utf8');

function issues(text: string): TargetIssue[] {
  try {
    parseTargetText(text, 't.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(TargetError);
    expect((e as Error).message.split('\n').every((l) => l.startsWith('killdrill: t.yaml:') || l.startsWith('killdrill: fix'))).toBe(true);
    return (e as TargetError).issues;
  }
  throw new Error('expected a TargetError');
}

/** The example with one line replaced (`from` must be in it). */
function edit(from: string, to: string): string {
  expect(EXAMPLE).toContain(from);
  return EXAMPLE.replace(from, to);
}
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('target files', () => {
  it('the examples load', () => {
    const ext = loadTargetFile(join(ROOT, 'targets/external.example.yaml'));
    expect(ext).toMatchObject({ kind: 'external', name: 'alphaswarm-staging', environment: 'staging', allowDrill: true, phases: { source: 'redis-stream' }, bots: { source: 'rest' } });
    const sim = loadTargetFile(join(ROOT, 'targets/simulated.example.yaml'));
    expect(sim).toMatchObject({ kind: 'simulated', preset: 'principal', bots: 24, runtime: 'process', bugs: [] });
    // Defaults as a scenario's fleet: gives them.
    expect(parseTargetText('kind: simulated\n', 'x.yaml')).toEqual({ kind: 'simulated', name: 'simulated', preset: 'alphaswarm', bugs: [], overrides: {}, runtime: 'process' });
  });

  it('targets/schema.json equals the generated one (run `npm run target-schema`)', () => {
    expect(readFileSync(join(ROOT, 'targets/schema.json'), 'utf8')).toBe(targetJsonSchema());
  });

  it('each kind of error names file:line:col and the field', () => {
    const cases: Array<{ text: string; field: string; line: number; message: RegExp }> = [];
    const add = (text: string, field: string, needle: string, message: RegExp) => cases.push({ text, field, line: lineOf(text, needle), message });
    let t = edit('allowDrill: true', 'allowDrill: true\n  x: [');
    cases.push({ text: t, field: '', line: 0, message: /YAML syntax/ });
    t = edit('  context: staging-eu', '  context: staging-eu\n  contxt: eu');
    add(t, 'kubernetes.contxt', 'contxt', /unknown field 'contxt'.*targets\/schema\.json/);
    t = edit('kind: external', 'kind: staging');
    add(t, 'kind', 'kind: staging', /unknown kind; use one of simulated, external/);
    t = edit('ledger:\n  url: https://venue-dropcopy.staging.example.internal/ledger\n  tokenEnv: STAGING_DROPCOPY_TOKEN\n', '');
    add(t, 'ledger', 'kind:', /missing; this field is required/);
    t = edit('tokenEnv: STAGING_BROKER_TOKEN\n  releaseTokenEnv', 'tokenEnv: 9f2c1e7a4b3d8e6f0a1b2c3d4e5f6a7b\n  releaseTokenEnv');
    add(t, 'broker.tokenEnv', '9f2c1e7a', /looks like a token itself.*never go in a target file/);
    t = edit('passwordEnv: STAGING_REDIS_PASSWORD', 'passwordEnv: staging redis password');
    add(t, 'redis.passwordEnv', 'staging redis password', /not an environment variable name/);
    t = edit('url: rediss://redis.staging.example.internal:6380', 'url: rediss://:hunter2@redis.staging.example.internal:6380');
    add(t, 'redis.url', 'hunter2', /carries credentials.*passwordEnv/);
    t = edit('url: https://venue-dropcopy.staging.example.internal/ledger', 'url: https://venue-dropcopy.staging.example.internal/ledger?token=abc');
    add(t, 'ledger.url', '?token=abc', /query carries 'token'/);
    t = edit('url: http://toxiproxy.staging.example.internal:8474', 'url: ftp://toxiproxy:8474');
    add(t, 'toxiproxy.url', 'ftp://', /scheme 'ftp' is not accepted here; use http:\/\/ or https:\/\//);
    t = edit('  namespace: alphaswarm-bots', '  namespace: Alphaswarm_Bots');
    add(t, 'kubernetes.namespace', 'Alphaswarm_Bots', /a Kubernetes name/);
    t = edit('allowDrill: true', 'allowDrill: yes please');
    add(t, 'allowDrill', 'yes please', /expected boolean/);
    const simBad = 'kind: simulated\npreset: principal\nbugs: [wrong-host-stop, no-such-bug]\nruntime: kubernetes\n';
    add(simBad, 'bugs[1]', 'no-such-bug', /wrong-host-stop/);
    for (const c of cases) {
      const found = issues(c.text);
      const i = found.find((x) => x.field === c.field && c.message.test(x.message));
      expect(i, `${c.field} ${c.message} in ${JSON.stringify(found)}`).toBeDefined();
      expect(i!.file).toBe('t.yaml');
      if (c.line) expect(i!.line, c.field).toBe(c.line);
      expect(i!.col).toBeGreaterThanOrEqual(1);
    }
    expect(issues(simBad).some((i) => i.field === 'runtime' && i.line === 4)).toBe(true);
  });

  it('cross-field checks name the field that needs the missing part', () => {
    const noRedis = edit('redis:\n  url: rediss://redis.staging.example.internal:6380\n  passwordEnv: STAGING_REDIS_PASSWORD\n  keyPrefix: alphaswarm:bots:killswitch\n', '');
    expect(issues(noRedis)).toEqual([expect.objectContaining({ field: 'phases.source', line: lineOf(noRedis, 'source: redis-stream'), message: expect.stringMatching(/add redis\.url, or use bot-watch/) })]);
    const noKube = edit('kubernetes:\n  kubeconfig: ~/.kube/staging.yaml\n  context: staging-eu\n  namespace: alphaswarm-bots\n', '').replace('source: redis-stream', 'source: bot-watch').replace(/bots:\n  source: rest\n.*\n.*\n/, 'bots:\n  source: kubernetes\n');
    expect(issues(noKube).map((i) => i.field).sort()).toEqual(['bots.source', 'phases.source']);
    const noLever = 'kind: external\nname: s\nenvironment: staging\nallowDrill: false\nledger: {url: "http://v/ledger"}\njournal: {url: "http://b/journal"}\nphases: {source: bot-watch}\nbots: {source: rest, url: "http://b/bots"}\n';
    expect(issues(noLever).map((i) => [i.field, i.line])).toEqual([['', 1], ['phases.source', 7]]);
    expect(issues(noLever)[0].message).toMatch(/no lever to pull/);
    const sameRole = edit('releaseTokenEnv: STAGING_BROKER_RELEASE_TOKEN', 'releaseTokenEnv: STAGING_BROKER_TOKEN');
    expect(issues(sameRole)).toEqual([expect.objectContaining({ field: 'broker.releaseTokenEnv', message: expect.stringMatching(/risk-officer/) })]);
  });

  it('hosts: each supervisor a URL under a host name, at least one; the token by its variable name', () => {
    const t = parseTargetText(EXAMPLE, 't.yaml');
    expect(t.kind === 'external' && t.hosts).toEqual({ tokenEnv: 'STAGING_SUPERVISOR_TOKEN', supervisors: { 'node-a': 'https://node-a.staging.example.internal:7001', 'node-b': 'https://node-b.staging.example.internal:7001' } });
    expect(issues(edit('  supervisors:\n    node-a: https://node-a.staging.example.internal:7001\n    node-b: https://node-b.staging.example.internal:7001\n', '  supervisors: {}\n'))).toEqual([expect.objectContaining({ field: 'hosts.supervisors', message: expect.stringMatching(/at least one host/) })]);
    expect(issues(edit('    node-b: https://', '    node b: https://'))[0].message).toMatch(/a host name/);
    expect(issues(edit('    node-b: https://node-b.staging.example.internal:7001', '    node-b: ftp://node-b:7001'))[0].field).toBe('hosts.supervisors.node-b');
  });

  it('an unreadable file, an empty file and a list are TargetErrors too', () => {
    expect(() => loadTargetFile('/nonexistent/t.yaml')).toThrow(/killdrill: \/nonexistent\/t\.yaml:1:1: cannot read the file \(ENOENT\)/);
    expect(issues('')[0].message).toMatch(/the file is empty/);
    expect(issues('- kind: simulated\n')[0].message).toMatch(/a YAML mapping/);
    expect(issues(stringify({ kind: 'simulated', overrides: { pollIntervalS: -1 } }))[0].field).toBe('overrides.pollIntervalS');
  });
});

describe('looksLikeToken', () => {
  it('flags token values and passes variable names', () => {
    const tokens = [
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'xoxb-123456789012-abcdefghij',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
      'AKIAIOSFODNN7EXAMPLE',
      '9f2c1e7a4b3d8e6f0a1b2c3d',
      '123e4567-e89b-12d3-a456-426614174000',
      'dGhpcyBpcyBhIHNlY3JldA==',
      'Bearer abc',
      'sk-live-4242424242',
      'a1b2c3d4e5f6g7h8i9j0k1l2',
    ];
    for (const t of tokens) expect(looksLikeToken(t), t).toBe(true);
    for (const n of ['STAGING_BROKER_TOKEN', 'REDIS_PASSWORD', 'KILLDRILL_TOKEN_2', 'K8S_TOKEN', 'TOKEN', 'DROPCOPY_API_KEY_V2']) expect(looksLikeToken(n), n).toBe(false);
  });
});
