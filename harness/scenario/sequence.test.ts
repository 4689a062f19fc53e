// `sequence:` — several legs (one lever each) on one fleet: the legs a case carries, and the bad
// inputs refused with file:line like every other scenario error.
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './index.ts';
import { scenarioIssues as issues } from './scenario-issues.ts';

const BASE = `name: t
description: d
fleet:
  preset: alphaswarm
load:
  warmup: 3s
  duration: 40s
kill:
  at: 3s
  path: crd
  scope: platform
  mode: cancel
release:
  after: 6s
`;
const SEQ = 'sequence:\n  - path: crd\n  - path: rest\n  - path: redis\n';

describe('sequence:', () => {
  it('one case carrying its legs in order, each a scenario of its own with its path', () => {
    const l = parseScenarioText(BASE + SEQ, 'x.yaml');
    expect(l.cases).toHaveLength(1);
    const legs = l.cases[0].legs!;
    expect(legs.map((g) => [g.leg, g.id, g.scenario.kill.path, g.target, g.sequenceId])).toEqual([
      [1, 'leg=1,kill.path=crd', 'crd', 'platform', 'default'],
      [2, 'leg=2,kill.path=rest', 'rest', 'platform', 'default'],
      [3, 'leg=3,kill.path=redis', 'redis', 'platform', 'default'],
    ]);
    expect(legs.map((g) => g.at)).toEqual(['x.yaml:16:5', 'x.yaml:17:5', 'x.yaml:18:5']);
    expect(legs.every((g) => g.scenario.sequence === undefined && g.legs === undefined)).toBe(true);
  });

  it('a leg may set its scope, mode and level; a scope without a target takes that scope\'s default', () => {
    const l = parseScenarioText(BASE + 'sequence:\n  - path: crd\n  - path: rest\n    scope: fleet\n    mode: freeze\n  - path: broker-level\n    level: 2\n', 'x.yaml');
    const [, rest, broker] = l.cases[0].legs!;
    expect([rest.scenario.kill.scope, rest.target, rest.scenario.kill.mode]).toEqual(['fleet', 'market-making', 'freeze']);
    expect([broker.scenario.kill.path, broker.scenario.kill.level]).toEqual(['broker-level', 2]);
  });

  it('an empty sequence is refused at its line', () => {
    const [i] = issues(BASE + 'sequence: []\n');
    expect([i.line, i.field]).toEqual([15, 'sequence']);
    expect(i.message).toMatch(/at least one leg/);
  });

  it('a sequence with a matrix on kill.path is refused at the matrix key', () => {
    const all = issues(BASE + 'matrix:\n  kill.path: [crd, rest]\n' + SEQ);
    const i = all.find((x) => x.field === 'matrix.kill.path')!;
    expect(i.line).toBe(16);
    expect(i.message).toMatch(/a matrix over kill.path would pull every path in every leg/);
  });

  it('a matrix over a field a leg sets, a sequence without a release, a first leg that is not kill.path: refused', () => {
    expect(issues(BASE + 'matrix:\n  kill.mode: [cancel, freeze]\nsequence:\n  - path: crd\n    mode: flatten\n')[0].message).toMatch(/a leg sets mode, which the matrix also varies/);
    expect(issues(BASE.replace('release:\n  after: 6s\n', '') + SEQ)[0].message).toMatch(/a sequence needs release.after/);
    const [i] = issues(BASE + 'sequence:\n  - path: rest\n');
    expect([i.line, i.field]).toEqual([16, 'sequence[0].path']);
    expect(i.message).toMatch(/the first leg pulls kill.path: make it crd/);
  });

  it('a leg that is not a valid lever (broker-level without a level, an unknown field) is refused at the leg', () => {
    const [i] = issues(BASE + SEQ + '  - path: broker-level\n');
    expect([i.line, i.field]).toEqual([19, 'sequence[3]']);
    expect(i.message).toMatch(/in leg 4 \(broker-level\): kill.level: path broker-level needs a level/);
    const [u] = issues(BASE + 'sequence:\n  - path: crd\n    speed: 3\n');
    expect(u.message).toMatch(/unknown field 'speed'/);
  });

  it('the matrix on other keys gives a sequence per matrix case', () => {
    const l = parseScenarioText(BASE + 'matrix:\n  kill.mode: [cancel, freeze]\n' + SEQ, 'x.yaml');
    expect(l.cases.map((c) => c.id)).toEqual(['kill.mode=cancel', 'kill.mode=freeze']);
    expect(l.cases[1].legs!.map((g) => [g.id, g.scenario.kill.mode])).toEqual([
      ['kill.mode=freeze,leg=1,kill.path=crd', 'freeze'],
      ['kill.mode=freeze,leg=2,kill.path=rest', 'freeze'],
      ['kill.mode=freeze,leg=3,kill.path=redis', 'freeze'],
    ]);
  });
});
