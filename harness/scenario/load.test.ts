import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenarioText, loadScenarioFile, ScenarioError, scenarioJsonSchema, listScenarioFiles } from './index.ts';
import { fixturePlanner, scenarioIssues } from './scenario-issues.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const BASE = `name: t
description: d
fleet:
  preset: alphaswarm
load:
  warmup: 3s
  duration: 40s
kill:
  at: 3s
  path: rest
  scope: platform
  mode: cancel
release:
  after: 6s
`;

const issues = scenarioIssues;

describe('scenario loader', () => {
  it('loads a minimal scenario with defaults', () => {
    const l = parseScenarioText(BASE, 'x.yaml');
    expect(l.scenario.seed).toBe(1);
    expect(l.scenario.runtime).toBe('process');
    expect(l.scenario.fleet.bugs).toEqual([]);
    expect(l.cases).toHaveLength(1);
    expect(l.cases[0].id).toBe('default');
    expect(l.cases[0].target).toBe('platform');
  });

  it('names file, line, column and field of an unknown field', () => {
    const [i, ...rest] = issues(BASE.replace('  mode: cancel\n', '  mode: cancel\n  modde: x\n'));
    expect(rest).toHaveLength(0);
    expect(i).toMatchObject({ file: 'x.yaml', line: 13, col: 3, field: 'kill.modde' });
    expect(i.message).toMatch(/unknown field 'modde'/);
  });

  it('names a bad value where it is', () => {
    const [i] = issues(BASE.replace('warmup: 3s', 'warmup: 3 seconds'));
    expect(i).toMatchObject({ line: 6, col: 11, field: 'load.warmup' });
    expect(i.message).toMatch(/duration/);
  });

  it('rejects an unknown checker name in detects', () => {
    const [i] = issues(BASE + 'detects: [post-flip-effects, time-to-nap]\n');
    expect(i.field).toBe('detects[1]');
    expect(i.line).toBe(15);
  });

  it('kill.fallback: another path than the kill\'s, not a halt level', () => {
    const withFb = (p: string) => BASE.replace('  mode: cancel\n', `  mode: cancel\n  fallback: { path: ${p} }\n`);
    expect(parseScenarioText(withFb('redis'), 'x.yaml').scenario.kill.fallback).toEqual({ path: 'redis' });
    expect(issues(withFb('rest'))[0]).toMatchObject({ field: 'kill.fallback.path' });
    expect(issues(withFb('rest'))[0].message).toMatch(/the fallback is the kill path itself/);
    expect(issues(withFb('broker-level'))[0].message).toMatch(/not a halt level/);
    expect(issues(withFb('ssh'))[0]).toMatchObject({ field: 'kill.fallback.path' });
  });

  it('rejects a kill before the warm-up ends', () => {
    const [i] = issues(BASE.replace('  at: 3s', '  at: 2s'));
    expect(i).toMatchObject({ field: 'kill.at', line: 9 });
    expect(i.message).toMatch(/before the warm-up ends/);
  });

  it('rejects a release that is not after the kill', () => {
    const [i] = issues(BASE.replace('after: 6s', 'after: 0s'));
    expect(i.field).toBe('release.after');
    expect(i.message).toMatch(/after the kill/);
  });

  it('rejects a broker-level kill without a level, and an unknown fault kind', () => {
    expect(issues(BASE.replace('path: rest', 'path: broker-level'))[0].field).toBe('kill.level');
    const [f] = issues(BASE + 'faults:\n  - at: 5s\n    kind: meteor\n');
    expect(f.field).toBe('faults[0].kind');
    expect(f.message).toMatch(/redis-down/);
  });

  it('rejects unknown fault params, and accepts heal durations or end', () => {
    const [p] = issues(BASE + 'faults:\n  - at: 5s\n    kind: process-kill\n    params: { target: x, signal: 9 }\n');
    expect(p.field).toBe('faults[0].params.signal');
    const ok = parseScenarioText(BASE + 'faults:\n  - at: 5s\n    kind: redis-down\n    heal: 2s\n  - at: 6s\n    kind: link-down\n    params: { link: gateway-venue }\n', 'x.yaml');
    expect(ok.scenario.faults.map((f) => f.heal)).toEqual(['2s', 'end']);
  });

  it("rejects a pubsub-drop channel that is not the events channel of the scenario's keyPrefix", () => {
    const drop = (channel: string) => `faults:\n  - at: 2s\n    kind: pubsub-drop\n    params: { form: channel, channel: "${channel}" }\n`;
    const custom = BASE.replace('  preset: alphaswarm\n', '  preset: alphaswarm\n  overrides:\n    keyPrefix: acme:desk:halt\n');
    const [i] = issues(custom + drop('alphaswarm:bots:killswitch:events'));
    expect(i.field).toBe('faults[0]');
    expect(i.message).toMatch(/kill events channel is 'acme:desk:halt:events'/);
    expect(i.line).toBeGreaterThan(1);
    expect(parseScenarioText(custom + drop('acme:desk:halt:events'), 'x.yaml', { components: fixturePlanner }).scenario.faults).toHaveLength(1);
    expect(parseScenarioText(BASE + drop('alphaswarm:bots:killswitch:events'), 'x.yaml', { components: fixturePlanner }).scenario.faults).toHaveLength(1);
  });

  it('reports YAML syntax errors with their position', () => {
    const [i] = issues('name: t\ndescription: [unclosed\n');
    expect(i.message).toMatch(/YAML syntax/);
    expect(i.line).toBeGreaterThanOrEqual(2);
    expect(issues('name: a\nname: b\n')[0].message).toMatch(/YAML syntax/);
  });

  it('rejects empty files and non-mappings', () => {
    expect(issues('')[0].message).toMatch(/empty/);
    expect(issues('- a\n- b\n')[0].message).toMatch(/mapping/);
  });

  it('every message starts with killdrill: and says what to do', () => {
    try {
      parseScenarioText(BASE.replace('path: rest', 'path: ssh'), 'x.yaml');
      throw new Error('expected a ScenarioError');
    } catch (e) {
      expect((e as Error).message.split('\n').every((l) => l.startsWith('killdrill: '))).toBe(true);
      expect((e as Error).message).toMatch(/x\.yaml:10:9: kill\.path: .*expected one of/);
    }
  });

  it('reports an unreadable file', () => {
    expect(() => loadScenarioFile('/nonexistent/x.yaml')).toThrow(/cannot read the file \(ENOENT\); check the path/);
  });
});

describe('matrix', () => {
  it('expands the cartesian product with stable case ids and per-scope targets', () => {
    const l = parseScenarioText(BASE + 'matrix:\n  kill.scope: [bot, fleet, platform]\n  kill.mode: [cancel, freeze]\n', 'x.yaml');
    expect(l.cases.map((c) => c.id)).toEqual([
      'kill.scope=bot,kill.mode=cancel',
      'kill.scope=bot,kill.mode=freeze',
      'kill.scope=fleet,kill.mode=cancel',
      'kill.scope=fleet,kill.mode=freeze',
      'kill.scope=platform,kill.mode=cancel',
      'kill.scope=platform,kill.mode=freeze',
    ]);
    expect(l.cases.map((c) => c.target)).toEqual(['mm-aapl', 'mm-aapl', 'market-making', 'market-making', 'platform', 'platform']);
    expect(l.cases[1].scenario.kill.mode).toBe('freeze');
    expect(l.cases[1].scenario.matrix).toBeUndefined();
  });

  it('takes targets from kill.targets before the preset defaults', () => {
    const text = BASE.replace('  scope: platform\n', '  scope: fleet\n  target: stat-arb\n  targets: { bot: sa-msft }\n') + 'matrix:\n  kill.scope: [bot, fleet, tenant]\n';
    expect(parseScenarioText(text, 'x.yaml').cases.map((c) => c.target)).toEqual(['sa-msft', 'stat-arb', 'tenant-a']);
  });

  it('rejects unknown matrix keys and points invalid case values at the matrix', () => {
    expect(issues(BASE + 'matrix:\n  kill.colour: [red]\n')[0].field).toBe('matrix.kill.colour');
    const [i] = issues(BASE + 'matrix:\n  kill.mode: [cancel, smash]\n');
    expect(i).toMatchObject({ field: 'matrix.kill.mode', line: 16 });
    expect(i.message).toMatch(/in matrix case 'kill.mode=smash'/);
  });

  it('rejects a matrix value that breaks a cross-field rule', () => {
    const [i] = issues(BASE + 'matrix:\n  kill.at: [3s, 1s]\n');
    expect(i.message).toMatch(/kill.at=1s.*before the warm-up/);
  });
});

describe('the committed scenarios', () => {
  it('scenarios/schema.json equals the generated one (run `npm run scenario-schema`)', () => {
    expect(readFileSync(join(ROOT, 'scenarios', 'schema.json'), 'utf8')).toBe(scenarioJsonSchema());
  });

  it('every scenario file under scenarios/ is valid', () => {
    const files = listScenarioFiles([join(ROOT, 'scenarios')]);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(loadScenarioFile(f).cases.length).toBeGreaterThan(0);
  });
});
