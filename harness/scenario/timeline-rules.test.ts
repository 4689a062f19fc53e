// Scenario rules of issue 11 item 6: a case that judges nothing, a fault the run may never reach and
// fields that do nothing are invalid input (exit 2 from validate and run), never a silent pass.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText, ScenarioError } from './index.ts';
import { scenarioIssues } from './scenario-issues.ts';
import { CHECKER_NAMES } from '../checkers/names.ts';
import { validateMain } from '../cli/validate-command.ts';
import { runMain } from '../cli/run-command.ts';
import { silentProgress } from '../runner/progress.ts';

const BASE = `name: t
description: d
fleet:
  preset: alphaswarm
load:
  warmup: 3s
  duration: 40s
faults:
  - { at: 4s, kind: redis-down, heal: 1s }
kill:
  at: 3s
  path: rest
  scope: platform
  mode: cancel
release:
  after: 6s
`;

const issues = scenarioIssues;

const io = () => {
  const err: string[] = [];
  return { io: { out: () => {}, err: (l: string) => err.push(l) }, err };
};

async function cli(text: string) {
  const d = mkdtempSync(join(tmpdir(), 'kd-rules-'));
  writeFileSync(join(d, 'a.yaml'), text);
  const v = io();
  const validate = await validateMain([d], v.io);
  const r = io();
  let ran = 0;
  const run = await runMain([d], {
    io: r.io,
    runtimeByName: () => ({ name: 'process', start: async () => { throw new Error('not used'); } }),
    runCase: async () => {
      ran++;
      throw new Error('not used');
    },
    progress: () => silentProgress,
    interrupts: { on: () => () => {} },
  });
  return { validate, run, ran, errors: [...v.err, ...r.err].join('\n') };
}

describe('a case must judge something', () => {
  it('skipping every checker is invalid input, named at skip, exit 2 from validate and run (nothing runs)', async () => {
    const text = BASE + `skip: [${CHECKER_NAMES.join(', ')}]\n`;
    const [i, ...rest] = issues(text);
    expect(rest).toHaveLength(0);
    expect(i).toMatchObject({ file: 'x.yaml', line: 17, field: 'skip' });
    expect(i.message).toMatch(/every checker is skipped, so the case would judge nothing .* remove at least one checker from skip/);
    const c = await cli(text);
    expect([c.validate, c.run, c.ran]).toEqual([2, 2, 0]);
    expect(c.errors).toMatch(/a\.yaml:17:\d+: skip: every checker is skipped/);
    // one checker left is a case
    expect(() => parseScenarioText(BASE + `skip: [${CHECKER_NAMES.slice(1).join(', ')}]\n`, 'x.yaml')).not.toThrow();
  });
});

describe('faults inside the timeline', () => {
  it('a fault after the release is rejected where it is written, with what to do', async () => {
    const text = BASE.replace('at: 4s, kind: redis-down', 'at: 10s, kind: redis-down');
    const [i] = issues(text);
    expect(i).toMatchObject({ line: 9, field: 'faults[0].at' });
    expect(i.message).toMatch(/the fault at 10s comes after the release \(kill\.at 3s \+ release\.after 6s\), the last moment the run is sure to still be running, so it might never be injected; move it to 9s or earlier, or release later/);
    const c = await cli(text);
    expect([c.validate, c.run, c.ran]).toEqual([2, 2, 0]);
    // at the release itself it is still injected
    expect(() => parseScenarioText(BASE.replace('at: 4s, kind: redis-down', 'at: 9s, kind: redis-down'), 'x.yaml')).not.toThrow();
  });

  it('without a release, a fault after the kill is rejected', () => {
    const [i] = issues(BASE.replace('release:\n  after: 6s\n', ''));
    expect(i).toMatchObject({ field: 'faults[0].at' });
    expect(i.message).toMatch(/after the kill at 3s \(without a release the run may end as soon as every bot stopped\).*move it to 3s or earlier, or add a release after it/);
  });

  it('a matrix over release.after is checked per case', () => {
    const [i] = issues(BASE + 'matrix:\n  release.after: [6s, 500ms]\n');
    expect(i.message).toMatch(/in matrix case 'release.after=500ms': the fault at 4s comes after the release/);
  });
});

describe('every field does something', () => {
  it('a class budgetS in the fleet overrides is an unknown field: budgets are expect.time-to-stop.budgetS', () => {
    const [i] = issues(BASE.replace('  preset: alphaswarm\n', '  preset: alphaswarm\n  overrides: { classes: { hft: { budgetS: 5 } } }\n'));
    expect(i.field).toBe('fleet.overrides.classes.hft.budgetS');
    expect(i.message).toMatch(/unknown field 'budgetS'/);
  });
});
