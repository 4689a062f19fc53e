// `killdrill run --junit FILE` (case runner replaced by a fake): the report of every case, written
// also when the run is interrupted; an unwritable path is said and never hides a failure.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runMain, type RunDeps } from './run-command.ts';
import { silentProgress } from '../runner/progress.ts';
import type { CaseOutcome } from '../runner/run-scenario.ts';

const GOOD = `name: t
description: d
fleet: { preset: alphaswarm }
load: { warmup: 3s, duration: 40s }
kill: { at: 3s, path: rest, scope: platform, mode: cancel }
release: { after: 6s }
matrix:
  kill.mode: [cancel, freeze, flatten]
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(outcomes: Array<CaseOutcome['outcome']>, interruptAt = -1) {
  const d = mkdtempSync(join(tmpdir(), 'kd-junit-'));
  dirs.push(d);
  writeFileSync(join(d, 'a.yaml'), GOOD);
  const err: string[] = [];
  let interrupt = () => {};
  let n = 0;
  const deps: RunDeps = {
    io: { out: () => {}, err: (l) => err.push(l) },
    runtimeByName: () => ({ name: 'process', start: async () => { throw new Error('not used'); } }),
    runCase: async (c) => {
      const i = n++;
      if (i === interruptAt) interrupt();
      const outcome = outcomes[i] ?? 'passed';
      return { outcome, invalidInput: false, reasons: outcome === 'passed' ? [] : [`post-flip-effects: 2 effects <${c.id}> & more`], replay: `npx killdrill run a.yaml --case '${c.id}'`, runDir: `out/runs/${i}`, result: {} as never };
    },
    progress: () => silentProgress,
    interrupts: { on: (fn) => ((interrupt = fn), () => {}) },
  };
  return { d, deps, err };
}

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml);

describe('killdrill run --junit', () => {
  it('writes one testcase per case with failure/error, into a directory it creates; the exit code is the run’s', async () => {
    const t = setup(['passed', 'failed', 'errored']);
    const file = join(t.d, 'reports', 'junit.xml');
    expect(await runMain([join(t.d, 'a.yaml'), '--junit', file], t.deps)).toBe(3);
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = parse(xml).testsuites.testsuite;
    expect(suite).toMatchObject({ name: join(t.d, 'a.yaml'), tests: '3', failures: '1', errors: '1', skipped: '0' });
    expect(suite.testcase.map((c: { name: string }) => c.name)).toEqual(['t [kill.mode=cancel]', 't [kill.mode=freeze]', 't [kill.mode=flatten]']);
    expect(suite.testcase[1].failure.message).toBe('post-flip-effects: 2 effects <kill.mode=freeze> & more');
    expect(suite.testcase[2].error.type).toBe('errored');
    expect(t.err.at(-1)).toBe(`killdrill: JUnit report of 3 case(s) written to ${file}`);
  });

  it('an interrupted run still writes it: the running case and the ones not run are skipped', async () => {
    const t = setup(['interrupted'], 0);
    const file = join(t.d, 'j.xml');
    expect(await runMain([join(t.d, 'a.yaml'), `--junit=${file}`], t.deps)).toBe(130);
    const suite = parse(readFileSync(file, 'utf8')).testsuites.testsuite;
    expect(suite).toMatchObject({ tests: '3', skipped: '3', failures: '0' });
    expect(suite.testcase[0].skipped.message).toMatch(/^interrupted: /);
    expect(suite.testcase[2].skipped.message).toMatch(/^not run/);
  });

  it('an unwritable path: said, exit 3 for a passing run, a failing run stays 1; an empty name is invalid input', async () => {
    const t = setup([]);
    const blocker = join(t.d, 'a.yaml'); // a file, so no directory can be made under it
    expect(await runMain([blocker, '--junit', join(blocker, 'x', 'j.xml')], t.deps)).toBe(3);
    expect(t.err.at(-1)).toMatch(/^killdrill: cannot write the JUnit report .*; give a writable path to --junit$/);
    const f = setup(['failed']);
    expect(await runMain([join(f.d, 'a.yaml'), '--junit', join(f.d, 'a.yaml', 'j.xml')], f.deps)).toBe(1);
    expect(await runMain([join(f.d, 'a.yaml'), '--junit='], setup([]).deps)).toBe(2);
  });
});
