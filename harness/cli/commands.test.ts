// validate and run without a fleet: exit codes, messages, case selection, interrupts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateMain } from './validate-command.ts';
import { runMain, type RunDeps } from './run-command.ts';
import { exitCodeFor } from './exit-codes.ts';
import { silentProgress } from '../runner/progress.ts';
import type { CaseOutcome } from '../runner/run-scenario.ts';
import type { ScenarioCase } from '../scenario/index.ts';

const GOOD = `name: t
description: d
fleet: { preset: alphaswarm }
load: { warmup: 3s, duration: 40s }
kill: { at: 3s, path: rest, scope: platform, mode: cancel }
release: { after: 6s }
matrix:
  kill.mode: [cancel, freeze]
`;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'kd-cli-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

function deps(outcomes: Array<CaseOutcome['outcome']>, extra: Partial<RunDeps> = {}) {
  const o = io();
  const ran: Array<{ id: string; seed?: number }> = [];
  let interrupt: () => void = () => {};
  const d: RunDeps = {
    io: o.io,
    runtimeByName: (n) => {
      if (n !== 'process') throw new Error(`killdrill: unknown runtime '${n}'; use 'process'`);
      return { name: 'process', start: async () => { throw new Error('not used'); } };
    },
    runCase: async (c: ScenarioCase, opts) => {
      ran.push({ id: c.id, seed: opts.seed });
      const outcome = outcomes[ran.length - 1] ?? 'passed';
      return { outcome, invalidInput: false, reasons: outcome === 'passed' ? [] : ['post-flip-effects: failed: 3 effects'], replay: `npx killdrill run x --case '${c.id}' --seed 7`, runDir: 'out/runs/r', result: {} as never };
    },
    progress: () => silentProgress,
    interrupts: { on: (fn) => ((interrupt = fn), () => {}) },
    ...extra,
  };
  return { d, ran, ...o, interrupt: () => interrupt() };
}

describe('killdrill validate', () => {
  it('exit 0 for valid files and directories', async () => {
    const o = io();
    expect(await validateMain([dir({ 'a.yaml': GOOD })], o.io)).toBe(0);
    expect(o.out[0]).toMatch(/^ok .*a\.yaml \(t, 2 cases\)$/);
  });

  it('exit 2 with file:line:col for an invalid file, and for no files', async () => {
    const o = io();
    const d = dir({ 'a.yaml': GOOD, 'b.yaml': GOOD.replace('mode: cancel }', 'mode: cancel, colour: red }') });
    expect(await validateMain([d], o.io)).toBe(2);
    expect(o.err.join('\n')).toMatch(/killdrill: .*b\.yaml:5:\d+: kill\.colour: unknown field 'colour'/);
    expect(await validateMain([], io().io)).toBe(2);
    expect(await validateMain([dir({})], io().io)).toBe(2);
  });
});

describe('killdrill run (fleet replaced by a fake case runner)', () => {
  it('exit 0 when every case passed', async () => {
    const t = deps(['passed', 'passed']);
    expect(await runMain([dir({ 'a.yaml': GOOD })], t.d)).toBe(0);
    expect(t.ran.map((r) => r.id)).toEqual(['kill.mode=cancel', 'kill.mode=freeze']);
    expect(t.out.at(-1)).toBe('killdrill: 2 passed, 0 failed, 0 errored');
  });

  it('exit 1 when a scenario failed, with its reasons and a replay line', async () => {
    const t = deps(['passed', 'failed']);
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--seed', '7'], t.d)).toBe(1);
    expect(t.ran.every((r) => r.seed === 7)).toBe(true);
    expect(t.out).toContain('  post-flip-effects: failed: 3 effects');
    expect(t.out).toContain("  replay: npx killdrill run x --case 'kill.mode=freeze' --seed 7");
  });

  it('--jobs N runs N cases side by side, each in its own port block; the summary keeps case order', async () => {
    let live = 0;
    let maxLive = 0;
    const blocks: string[] = [];
    const ran: string[] = [];
    const t = deps([], {
      runCase: async (c: ScenarioCase, opts) => {
        live++;
        maxLive = Math.max(maxLive, live);
        blocks.push(`${opts.portBlock?.index}/${opts.portBlock?.of}`);
        // The first case is the slowest: the second ends first.
        await new Promise((r) => setTimeout(r, c.id === 'kill.mode=cancel' ? 60 : 10));
        live--;
        ran.push(c.id);
        return { outcome: 'passed', invalidInput: false, reasons: [], replay: '', runDir: `out/runs/${c.id}`, result: {} as never };
      },
    });
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--jobs', '2'], t.d)).toBe(0);
    expect(maxLive).toBe(2);
    expect(blocks.sort()).toEqual(['0/2', '1/2']);
    expect(ran).toEqual(['kill.mode=freeze', 'kill.mode=cancel']);
    // Each case's line is printed when it ends: the faster second case first.
    expect(t.out.filter((l) => l.startsWith('PASS')).map((l) => l.includes('[kill.mode=freeze]'))).toEqual([true, false]);
    expect(t.out.at(-1)).toBe('killdrill: 2 passed, 0 failed, 0 errored');
    for (const bad of ['0', '9', 'x', '1.5']) {
      const b = deps([]);
      expect(await runMain([dir({ 'a.yaml': GOOD }), '--jobs', bad], b.d)).toBe(2);
      expect(b.err.at(-1)).toMatch(/--jobs must be an integer from 1 to 8/);
      expect(b.ran).toHaveLength(0);
    }
  });

  it('exit 3 when a case errored (fleet could not start), even if another failed', async () => {
    expect(await runMain([dir({ 'a.yaml': GOOD })], deps(['failed', 'errored']).d)).toBe(3);
  });

  it('exit 2 for invalid input: a bad file runs nothing; bad flags; an unknown case; an unavailable runtime', async () => {
    const bad = deps([]);
    expect(await runMain([dir({ 'a.yaml': GOOD, 'b.yaml': 'name: [' })], bad.d)).toBe(2);
    expect(bad.ran).toHaveLength(0);
    expect(bad.err.at(-1)).toMatch(/nothing was run/);
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--seed', 'x'], deps([]).d)).toBe(2);
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--speed', '1'], deps([]).d)).toBe(2);
    const nocase = deps([]);
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--case', 'kill.mode=smash'], nocase.d)).toBe(2);
    expect(nocase.err[0]).toMatch(/the cases are: kill.mode=cancel \| kill.mode=freeze/);
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--runtime', 'docker'], deps([]).d)).toBe(2);
  });

  it('--case selects one matrix case', async () => {
    const t = deps(['passed']);
    expect(await runMain([dir({ 'a.yaml': GOOD }), '--case', 'kill.mode=freeze'], t.d)).toBe(0);
    expect(t.ran.map((r) => r.id)).toEqual(['kill.mode=freeze']);
  });

  it('--case selects exactly one case by an id with = and , (as the replay line quotes it, or as --case=ID)', async () => {
    const two = GOOD.replace('  kill.mode: [cancel, freeze]', '  kill.scope: [platform, fleet]\n  kill.mode: [cancel, freeze]');
    const t = deps(['passed']);
    expect(await runMain([dir({ 'a.yaml': two }), '--case', 'kill.scope=fleet,kill.mode=cancel'], t.d)).toBe(0);
    expect(t.ran.map((r) => r.id)).toEqual(['kill.scope=fleet,kill.mode=cancel']);
    const eq = deps(['passed']);
    expect(await runMain([dir({ 'a.yaml': two }), '--case=kill.scope=platform,kill.mode=freeze', '--seed=4'], eq.d)).toBe(0);
    expect(eq.ran).toEqual([{ id: 'kill.scope=platform,kill.mode=freeze', seed: 4 }]);
    // A prefix of an id is no id.
    expect(await runMain([dir({ 'a.yaml': two }), '--case', 'kill.scope=fleet'], deps([]).d)).toBe(2);
  });

  it('a matrix that repeats a value (two cases with one id) is invalid input: --case could not select one', async () => {
    const o = io();
    expect(await validateMain([dir({ 'a.yaml': GOOD.replace('[cancel, freeze]', '[cancel, cancel]') })], o.io)).toBe(2);
    expect(o.err.join('\n')).toMatch(/the case 'kill.mode=cancel' more than once/);
  });

  it('SIGINT: the running case reports interrupted, the rest do not run, exit 130', async () => {
    const t = deps([]);
    t.d.runCase = async (c, opts) => {
      t.ran.push({ id: c.id });
      t.interrupt();
      expect(opts.signal.aborted).toBe(true);
      return { outcome: 'interrupted', invalidInput: false, reasons: ['killdrill: interrupted (SIGINT)'], replay: 'r', runDir: 'd', result: {} as never };
    };
    expect(await runMain([dir({ 'a.yaml': GOOD })], t.d)).toBe(130);
    expect(t.ran).toHaveLength(1);
    expect(t.out.at(-1)).toMatch(/1 interrupted, 1 not run/);
  });

  it('--help prints every option and exits 0, running nothing (it used to answer "unknown option")', async () => {
    const t = deps([]);
    expect(await runMain(['--help'], t.d)).toBe(0);
    expect(t.out[0]).toMatch(/^usage: killdrill run <file\|dir>… \[options\]/);
    for (const o of ['--seed N', '--case ID', '--out DIR', '--jobs N', '--runtime process|docker', '--observe-full', '--junit FILE']) expect(t.out[0]).toContain(o);
    expect(t.ran).toHaveLength(0);
    const v = io();
    expect(await validateMain(['-h'], v.io)).toBe(0);
    expect(v.out[0]).toMatch(/^usage: killdrill validate/);
  });

  it('exit code ordering', () => {
    expect(exitCodeFor([])).toBe(0);
    expect(exitCodeFor([{ outcome: 'errored', invalidInput: true }, { outcome: 'failed' }])).toBe(2);
  });
});
