// Runner glue without a fleet: plan building, replay lines, result.json, and a run whose fleet cannot start.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText } from '../scenario/index.ts';
import { planFromScenario } from './plan-from-scenario.ts';
import { replayCommand } from './replay.ts';
import { spawnSync } from 'node:child_process';
import { buildResult } from './result.ts';
import { runScenarioCase } from './run-scenario.ts';
import { silentProgress } from './progress.ts';
import { InfraError, type Runtime } from '../runtime/index.ts';
import { readHistory } from '../history/index.ts';
import { runCheckers } from '../checkers/index.ts';
import { allPhase, build, effect, kill, observed, release, roster } from '../checkers/history-fixture.ts';

const TEXT = `name: plan-test
description: d
seed: 3
fleet:
  preset: principal
  bugs: [wrong-host-stop]
  overrides: { pollIntervalS: 1 }
load: { warmup: 2s, duration: 30s }
faults:
  - { at: 4s, kind: redis-down, heal: 1500ms }
  - { at: 5s, kind: process-kill, params: { target: foresight } }
kill: { at: 2s, path: broker-level, level: 2, scope: platform, mode: cancel }
release: { after: 10s }
expect:
  time-to-stop: { budgetS: { hft: 12 } }
  time-to-draining: { budgetS: 20 }
matrix:
  kill.level: [1, 2]
`;

describe('planFromScenario', () => {
  it('turns a case into a RunPlan in ms, with fault ids, heal times and budgets to watch for', () => {
    const [c1, c2] = parseScenarioText(TEXT, 's.yaml').cases;
    const p = planFromScenario(c2, 9);
    expect(p).toMatchObject({ scenarioName: 'plan-test', caseId: 'kill.level=2', seed: 9, warmupMs: 2000, maxDurationMs: 30_000, releaseAfterMs: 10_000, restartBudgetMs: 30_000 });
    expect(p.fleet).toEqual({ preset: 'principal', bots: undefined, bugs: ['wrong-host-stop'], overrides: { pollIntervalS: 1 } });
    expect(p.faults).toEqual([
      { id: 'redis-down-1', kind: 'redis-down', atMs: 4000, healAfterMs: 1500, params: {} },
      { id: 'process-kill-2', kind: 'process-kill', atMs: 5000, healAfterMs: null, params: { target: 'foresight' } },
    ]);
    expect(p.kill).toEqual({ atMs: 2000, path: 'broker-level', scope: 'platform', target: 'platform', mode: 'cancel', level: 2 });
    // the longest budget a checker judges: standard/paper/agent stop budgets default to 300 s
    expect(p.stopBudgetMs).toBe(300_000);
    expect(planFromScenario(c1).kill).toMatchObject({ level: 1, asset: 'DOGE-USD' });
    expect(planFromScenario(c1).seed).toBe(3);
  });

  it('does not wait for the budget of a skipped time checker', () => {
    const only = (skip: string) => planFromScenario(parseScenarioText(`${TEXT.split('matrix:')[0]}skip: [${skip}]\n`, 's.yaml').cases[0]).stopBudgetMs;
    expect(only('time-to-stop')).toBe(20_000); // the scenario's time-to-draining budget
    expect(only('time-to-draining, time-to-stop')).toBe(0);
    expect(only('time-to-draining')).toBe(300_000);
  });
});

describe('replayCommand', () => {
  it('one line with the file, the case (quoted) and the seed', () => {
    expect(replayCommand('/w/scenarios/x.yaml', 'kill.scope=bot,kill.mode=cancel', 7, '/w')).toBe("npx killdrill run scenarios/x.yaml --case 'kill.scope=bot,kill.mode=cancel' --seed 7");
    expect(replayCommand('scenarios/x.yaml', 'default', 1)).toBe('npx killdrill run scenarios/x.yaml --seed 1');
  });

  it('--runtime when the run used another runtime than the file, --target when there was one', () => {
    expect(replayCommand('/w/s/x.yaml', 'default', 3, '/w', { runtime: 'docker' })).toBe('npx killdrill run s/x.yaml --seed 3 --runtime docker');
    expect(replayCommand('/w/s/x.yaml', 'kill.mode=cancel', 3, '/w', { target: '/w/targets/staging.yaml' })).toBe('npx killdrill run s/x.yaml --case kill.mode=cancel --seed 3 --target targets/staging.yaml');
  });

  it('a POSIX shell gives back every word exactly: ids with = , spaces, quotes, $ and globs; paths outside cwd', () => {
    const ids = ["kill.scope=bot,kill.mode=cancel", "kill.target=it's $HOME *,x", 'kill.target=a"b`c`\\d', '=x'];
    for (const id of ids) {
      const line = replayCommand('/elsewhere/my dir/x.yaml', id, 5, '/w', { runtime: 'docker' });
      const words = spawnSync('sh', ['-c', `set -- ${line.replace(/^npx killdrill /, '')}; printf '%s\\0' "$@"`], { encoding: 'utf8', cwd: '/' }).stdout.split('\0').slice(0, -1);
      expect(words).toEqual(['run', '/elsewhere/my dir/x.yaml', '--case', id, '--seed', '5', '--runtime', 'docker']);
    }
  });
});

describe('buildResult', () => {
  it('fills contracts §11 from the history and verdicts, with no tokens', () => {
    const h = build(
      roster(),
      { type: 'fleet-up', endpoints: { brokerUrl: 'x' }, token: 'sekret' },
      allPhase('Running', 0),
      effect('mm-aapl', 'order', 500),
      kill(1000, 1100, { scope: 'fleet', target: 'market-making' }),
      { type: 'phase', slug: 'mm-aapl', phase: 'Draining', at: 1300, from: 'Running', reason: null, host: 'h', daemon: 'd' },
      { type: 'phase', slug: 'mm-aapl', phase: 'Stopped', at: 1800, from: 'Draining', reason: null, host: 'h', daemon: 'd' },
      { type: 'fault-injected', id: 'f1', kind: 'redis-down', params: {}, at: 2000 },
      release(5000),
      { type: 'phase', slug: 'mm-aapl', phase: 'Running', at: 6000, from: 'Stopped', reason: null, host: 'h', daemon: 'd' },
      observed(9000),
    );
    const verdicts = runCheckers(h, {});
    const r = buildResult({
      runId: 'r1', file: 'f.yaml', scenario: 's', caseId: 'default', matrixValues: {}, seed: 1, outcome: 'failed', reason: 'x', replay: 'npx killdrill run f.yaml --seed 1',
      startedAt: 1, endedAt: 2, environment: { hostname: 'h', node: 'v24', platform: 'linux-x64', gitRevision: null }, history: h, verdicts,
    });
    expect(r.lever).toMatchObject({ path: 'rest', scope: 'fleet', target: 'market-making', issuedAt: 1000, engagedAt: 1100, releaseIssuedAt: 5000, releasedAt: 5050 });
    expect(r.perBot.find((b) => b.slug === 'mm-aapl')).toMatchObject({ inScope: true, timeToDrainingMs: 300, timeToStopMs: 800, restartMs: 1000 });
    expect(r.perBot.find((b) => b.slug === 'sa-msft')).toMatchObject({ inScope: false, timeToStopMs: null });
    expect(r.stats.timeToStopMs).toEqual({ p50: 800, p99: 800, max: 800 });
    expect(r.counts).toMatchObject({ bots: 3, inScope: 1, effects: 1, postFlipViolations: 0, journalIntents: 0, notLanded: null });
    expect(r.faults).toEqual([{ id: 'f1', kind: 'redis-down', params: {}, injectedAt: 2000, healedAt: null }]);
    expect(JSON.stringify(r)).not.toContain('sekret');
  });
});

describe('runScenarioCase without a fleet', () => {
  it('a fleet that cannot start is errored (not failed), and still leaves history.jsonl and result.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kd-run-'));
    const runtime: Runtime = { name: 'process', start: async () => { throw new InfraError('killdrill: the fleet could not start: port in use; free it and retry'); } };
    const [c] = parseScenarioText(TEXT, 's.yaml').cases;
    const r = await runScenarioCase(c, { outDir: out, runtime, progress: silentProgress, signal: new AbortController().signal });
    expect(r.outcome).toBe('errored');
    expect(r.reasons[0]).toMatch(/^killdrill: the fleet could not start/);
    const h = readHistory(join(r.runDir, 'history.jsonl'));
    expect(h.ops[0].type).toBe('run-start');
    expect(h.runEnd()).toMatchObject({ outcome: 'errored' });
    const res = JSON.parse(readFileSync(join(r.runDir, 'result.json'), 'utf8'));
    expect(res).toMatchObject({ outcome: 'errored', caseId: 'kill.level=1', seed: 3, replay: "npx killdrill run s.yaml --case kill.level=1 --seed 3" });
    expect(res.verdicts.every((v: { valid: unknown }) => v.valid === 'unknown')).toBe(true);
  });

  it('a case run on another runtime than its file says replays with --runtime; the history carries the line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kd-run-'));
    const runtime: Runtime = { name: 'docker', start: async () => { throw new InfraError('killdrill: docker is not running; start it'); } };
    const [c] = parseScenarioText(TEXT, 's.yaml').cases;
    const r = await runScenarioCase(c, { outDir: out, runtime, progress: silentProgress, signal: new AbortController().signal, seed: 9 });
    expect(r.replay).toBe('npx killdrill run s.yaml --case kill.level=1 --seed 9 --runtime docker');
    expect(readHistory(join(r.runDir, 'history.jsonl')).ops[0]).toMatchObject({ type: 'run-start', replay: r.replay });
  });

  it('an interrupt before the fleet is up is interrupted', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kd-run-'));
    const ac = new AbortController();
    const runtime: Runtime = { name: 'process', start: async () => { ac.abort(); throw new InfraError('killdrill: interrupted while the fleet was starting'); } };
    const [c] = parseScenarioText(TEXT, 's.yaml').cases;
    const r = await runScenarioCase(c, { outDir: out, runtime, progress: silentProgress, signal: ac.signal });
    expect(r.outcome).toBe('interrupted');
  });
});
