// Evidence JSON: validates against its schema (zod and the committed JSON Schema files agree),
// lists what the drill evidence needs, merges the paths of one drill; the console summary.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureRun, type Fixture } from './reports-fixture.ts';
import { buildEvidence, buildView, drillEvidenceSchema, findRemoteUrls, formatSummary, mergeEvidence, readRun, runEvidenceSchema, writeDrillReports, writeReports, type RunResult } from '../reports/index.ts';
import { schemaFiles } from '../reports/write-schemas.ts';
import { evidenceMain } from '../harness/cli/evidence-command.ts';
import { provesOf } from '../reports/evidence.ts';

let tmp: string;
let rest: Fixture;
let redis: Fixture;
let crd: Fixture;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'killdrill-evidence-'));
  rest = writeFixtureRun({ dir: join(tmp, 'rest'), bots: 300, path: 'rest', postFlip: 4 });
  redis = writeFixtureRun({ dir: join(tmp, 'redis'), bots: 300, path: 'redis', postFlip: 0, seed: 8 });
  crd = writeFixtureRun({ dir: join(tmp, 'crd'), bots: 300, path: 'crd', postFlip: 0, seed: 9 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('evidence.json', () => {
  it('carries the load: what k6 ran, the declared peak a 2x-peak rate doubled, load-held\'s rate and verdict; null without load.k6', () => {
    const run = readRun(rest.dir);
    expect(buildEvidence(buildView(run)).load).toBeNull();
    const peak = { brokerRequestsPerS: 50, measured: 'rest-k6 1x load, held at 49.8/s' };
    const loaded = {
      ...run,
      history: [...run.history, { t: 1, type: 'load-start', at: 1, tool: 'k6', script: 'broker-ui', profile: { kind: 'constant', rate: 100 }, fromPeak: { factor: 2, peak }, thresholds: {}, pid: 1, args: [] }],
      result: { ...run.result!, verdicts: [...run.result!.verdicts, { checker: 'load-held', valid: true, summary: 's', details: { requestsPerS: 99.8, errorsPerS: 0, botEffectsPerS: 46 } }] },
    } as typeof run;
    const ev = runEvidenceSchema.parse(buildEvidence(buildView(loaded)));
    expect(ev.load).toEqual({ tool: 'k6', script: 'broker-ui', profile: { kind: 'constant', rate: 100 }, fromPeak: { factor: 2, peak }, requestsPerS: 99.8, errorsPerS: 0, botEffectsPerS: 46, held: true });
    expect(mergeEvidence([ev]).summary[0].loadRequestsPerS).toBe(99.8);
  });

  it('validates against its schema and carries the drill evidence', () => {
    const files = writeReports(rest.dir, { secrets: [rest.secret], allureResultsDir: null });
    const doc = JSON.parse(readFileSync(files.evidence, 'utf8'));
    const ev = runEvidenceSchema.parse(doc);
    const result = JSON.parse(readFileSync(join(rest.dir, 'result.json'), 'utf8')) as RunResult;
    expect(ev.runId).toBe(rest.runId);
    expect(ev.gitRevision).toBe(result.environment.gitRevision);
    expect(ev.scenario.caseId).toBe(result.caseId);
    expect(ev.seed).toBe(result.seed);
    expect([ev.lever.path, ev.lever.scope, ev.lever.mode]).toEqual(['rest', 'platform', 'cancel']);
    expect(ev.lever.engagedAt?.epochMs).toBe(result.lever.engagedAt);
    expect(ev.timings.perBot).toHaveLength(300);
    expect(ev.timings.timeToStopMs).toEqual(result.stats.timeToStopMs);
    expect(ev.postFlipEffects.count).toBe(4);
    expect(ev.postFlipEffects.listed).toHaveLength(4);
    expect(ev.postFlipEffects.listed.every((e) => e.afterEngagedMs > 0 && e.kind !== 'cancel')).toBe(true);
    expect(ev.journal?.notLanded).toHaveLength(result.counts.notLanded);
    expect(ev.journal?.landedWithoutIntent).toEqual([]);
    expect(ev.journal?.landedTwice).toEqual([]);
    expect(ev.target).toEqual({ kind: 'simulated', preset: 'alphaswarm', bots: 300, bugs: [], overrides: {}, runtime: 'process' });
    expect([ev.detects, ev.proves, ev.figuresFrom]).toEqual([null, 'nothing', 'result']); // it failed: proves nothing
    expect(ev.verdicts.map((v) => [v.checker, v.valid])).toEqual(result.verdicts.map((v) => [v.checker, v.valid]));
    expect(ev.faults.map((f) => [f.id, f.healed])).toEqual([['pubsub-drop-node-b', true], ['kill-rl-b', true]]);
    expect(ev.signOff).toEqual({ runBy: '', reviewedBy: '', approvedBy: '' });
  });

  it('is rejected by the schema when a field is missing or unknown', () => {
    const ev = buildEvidence(buildView(readRun(rest.dir)));
    const { signOff: _s, ...missing } = ev;
    expect(runEvidenceSchema.safeParse(missing).success).toBe(false);
    expect(runEvidenceSchema.safeParse({ ...ev, extra: 1 }).success).toBe(false);
  });

  it('the committed JSON Schema files are the zod schemas (regenerate: node reports/write-schemas.ts)', () => {
    for (const [name, text] of Object.entries(schemaFiles())) expect(readFileSync(new URL(`../reports/${name}`, import.meta.url), 'utf8')).toBe(text);
  });

  it('a crashed run (no result.json) still gets evidence, from the history alone', () => {
    const fx = writeFixtureRun({ dir: join(tmp, 'crashed'), bots: 60, postFlip: 2 });
    rmSync(join(fx.dir, 'result.json'));
    const ev = runEvidenceSchema.parse(buildEvidence(buildView(readRun(fx.dir))));
    // The same checkers, run by the reports over the history the run left: the figures say so.
    expect(ev.figuresFrom).toBe('history');
    expect(ev.verdicts).toEqual([]);
    expect(ev.postFlipEffects.count).toBe(2);
    expect(ev.postFlipEffects.listed).toHaveLength(2);
    expect(ev.timings.perBot.filter((b) => b.timeToStopMs !== null)).toHaveLength(60);
    expect(ev.reason).toMatch(/^killdrill: /);
  });
});

describe('killdrill evidence', () => {
  it('merges the three paths of one drill into one kill_switch_drills document', async () => {
    const out = join(tmp, 'drill.json');
    expect(await evidenceMain([rest.dir, join(redis.dir, 'result.json'), crd.dir, '--out', out, '--drill-id', 'q1-drill'])).toBe(0);
    const doc = drillEvidenceSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(doc.drillId).toBe('q1-drill');
    expect(doc.section).toBe('kill_switch_drills');
    expect(doc.summary.map((s) => s.path).sort()).toEqual(['crd', 'redis', 'rest']);
    expect(doc.outcome).toBe('failed'); // the rest path had post-flip effects: a P1
    expect(doc.killSwitchProven).toBe(false);
    expect(doc.proof).toMatch(/not proven: 1 run\(s\) did not pass every checker \(path-rest/);
    expect(doc.runs.every((r) => r.drillId === 'q1-drill')).toBe(true);
    // The failed path is a P1 finding naming the path and the checker that failed; the passed ones are not.
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({ severity: 'P1', path: 'rest', outcome: 'failed' });
    expect(doc.findings[0].what).toMatch(/^post-flip-effects failed: /);
    expect(readFileSync(out, 'utf8')).not.toContain(rest.secret);
  });

  it('all paths passed: the drill passed', () => {
    const docs = [redis, crd].map((f) => buildEvidence(buildView(readRun(f.dir))));
    const doc = mergeEvidence(docs);
    expect(doc.outcome).toBe('passed');
    expect(doc.killSwitchProven).toBe(true);
    expect(doc.proof).toMatch(/^kill switch proven on simulated alphaswarm \(300 bots, bugs none, runtime process\)/);
    expect(doc.target?.kind).toBe('simulated');
    expect(doc.findings).toEqual([]);
  });

  it('a missing run is input error 2 with a killdrill: message', async () => {
    expect(await evidenceMain([join(tmp, 'nope')])).toBe(2);
    expect(await evidenceMain([])).toBe(2);
  });
});

describe('formatSummary', () => {
  it('one row per case with verdict, stop p99/max, post-flip, journal and replay', () => {
    const results = [rest, redis].map((f) => JSON.parse(readFileSync(join(f.dir, 'result.json'), 'utf8')) as RunResult);
    const text = formatSummary(results);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('FAIL');
    expect(lines[1]).toContain(`${Math.round(results[0].stats.timeToStopMs.p99 as number)} ms`);
    expect(lines[1]).toContain(`${Math.round(results[0].stats.timeToStopMs.max as number)} ms`);
    expect(lines[1]).toContain(results[0].replay);
    expect(lines[2]).toContain('PASS');
    expect(lines[3]).toBe('1/2 passed; replay a failing case with its command above');
  });
});

describe('what the evidence proves (issue 11 item 10)', () => {
  const ev = (f: Fixture) => runEvidenceSchema.parse(buildEvidence(buildView(readRun(f.dir))));

  it('a reproduction that passes detected a bug; merged, it never proves the kill switch', () => {
    const repro = writeFixtureRun({ dir: join(tmp, 'repro'), bots: 60, postFlip: 3, detects: ['post-flip-effects'], runId: 'repro' });
    const r = ev(repro);
    expect([r.outcome, r.detects, r.proves]).toEqual(['passed', ['post-flip-effects'], 'bug-detected']);
    const alone = mergeEvidence([r]);
    expect(alone.outcome).toBe('passed');
    expect(alone.killSwitchProven).toBe(false);
    expect(alone.proof).toMatch(/incident reproductions .*does not prove a kill switch/);
    // With a passing drill on the same target: still not proven.
    const drill = ev(writeFixtureRun({ dir: join(tmp, 'drill-60'), bots: 60, postFlip: 0, runId: 'drill-60' }));
    expect(drill.proves).toBe('kill-switch');
    expect(mergeEvidence([drill]).killSwitchProven).toBe(true);
    expect(mergeEvidence([drill, r]).killSwitchProven).toBe(false);
  });

  it('a failing case or an unknown verdict is not proven', () => {
    const failing = ev(rest);
    expect(failing.proves).toBe('nothing');
    const drill = ev(writeFixtureRun({ dir: join(tmp, 'drill-u'), bots: 60, postFlip: 0, runId: 'drill-u' }));
    // A case whose outcome says passed but one checker was unknown (missing evidence): nothing proven.
    const withUnknown = { ...drill, verdicts: drill.verdicts.map((v, i) => (i === 0 ? { ...v, valid: 'unknown' as const } : v)) };
    expect(provesOf(withUnknown.outcome, withUnknown.detects, withUnknown.verdicts)).toBe('nothing');
    expect(mergeEvidence([{ ...withUnknown, proves: provesOf(withUnknown.outcome, null, withUnknown.verdicts) }]).killSwitchProven).toBe(false);
    expect(provesOf('passed', null, [])).toBe('nothing'); // a case that judged nothing proves nothing
    expect(mergeEvidence([ev(redis), failing]).killSwitchProven).toBe(false);
  });

  it('runs of different targets are refused: exit 2 with a killdrill: error', async () => {
    const buggy = writeFixtureRun({ dir: join(tmp, 'buggy'), bots: 300, postFlip: 0, bugs: ['fail-open'], runId: 'buggy', seed: 9 });
    expect(() => mergeEvidence([ev(redis), ev(buggy)])).toThrow(/^killdrill: the runs drilled 2 different targets .*bugs fail-open.*merge the runs of each target separately/);
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      expect(await evidenceMain([redis.dir, buggy.dir, '--out', join(tmp, 'mixed.json')])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toMatch(/^killdrill: the runs drilled 2 different targets/);
  });

  it('an external target (run --target) is recorded by name and environment; runs of another external or a simulated target are not merged with it', () => {
    const staging = (id: string, name = 'alphaswarm-staging') => ev(writeFixtureRun({ dir: join(tmp, id), bots: 60, postFlip: 0, runId: id, external: { name, environment: 'staging' } }));
    const a = staging('ext-a');
    expect(a.target).toEqual({ kind: 'external', name: 'alphaswarm-staging', environment: 'staging' });
    expect(runEvidenceSchema.safeParse(a).success).toBe(true);
    const drill = mergeEvidence([a, staging('ext-b')]);
    expect(drillEvidenceSchema.safeParse(drill).success).toBe(true);
    expect(drill.killSwitchProven).toBe(true);
    expect(drill.proof).toMatch(/^kill switch proven on external alphaswarm-staging \(staging\)/);
    expect(() => mergeEvidence([a, staging('ext-c', 'other-staging')])).toThrow(/^killdrill: the runs drilled 2 different targets \(external alphaswarm-staging \(staging\): ext-a; external other-staging/);
    expect(() => mergeEvidence([a, ev(redis)])).toThrow(/^killdrill: the runs drilled 2 different targets/);
  });

  it('killdrill evidence says whether the kill switch is proven', async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      expect(await evidenceMain([redis.dir, crd.dir, '--out', join(tmp, 'ok.json')])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toContain('killdrill: kill switch proven on simulated alphaswarm');
  });
});

describe('the reports of a sequence (several legs on one fleet)', () => {
  it('one merged evidence document that validates, and one timeline of the legs in order with the P1 finding', () => {
    const dir = join(tmp, 'drills', 'd1');
    const files = writeDrillReports(dir, [crd.dir, rest.dir, redis.dir], { drillId: 'd1', secrets: [rest.secret] });
    const doc = drillEvidenceSchema.parse(JSON.parse(readFileSync(files.evidence, 'utf8')));
    expect(doc.drillId).toBe('d1');
    expect(doc.outcome).toBe('failed');
    expect(doc.findings.map((f) => f.path)).toEqual(['rest']);
    const html = readFileSync(files.timeline, 'utf8');
    expect(html).toContain('P1 finding:</b> rest');
    expect(findRemoteUrls(files.timeline)).toEqual([]);
    expect(html).not.toContain(rest.secret);
    // A row per leg, linking to its own run's timeline.
    for (const f of [crd, rest, redis]) expect(html).toContain(`${f.dir.split('/').pop()}/timeline.html`);
  });
});
