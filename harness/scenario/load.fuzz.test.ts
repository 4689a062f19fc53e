// Fuzz: whatever the input, the loader returns a scenario or throws a clean ScenarioError.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseScenarioText, parseScenarioObject, ScenarioError } from './index.ts';

function onlyCleanErrors(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) {
      expect(Number.isInteger(i.line) && i.line >= 1).toBe(true);
      expect(Number.isInteger(i.col) && i.col >= 1).toBe(true);
    }
    expect(e.message.split('\n').every((l) => l.startsWith('killdrill: '))).toBe(true);
    return true;
  }
}

const yamlish = fc.stringMatching(/^[a-z:\-\[\]{}, \n'"!&*#|>0-9.]{0,200}$/);
const keys = fc.constantFrom('name', 'description', 'fleet', 'load', 'kill', 'release', 'matrix', 'faults', 'expect', 'detects', 'at', 'path', 'scope', 'warmup', 'duration', 'kill.scope', 'preset', 'bugs', 'heal', 'kind');
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('3s', '10ms', '5m', 'rest', 'platform', 'cancel', 'alphaswarm', 'end', 'redis-down'),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(keys, tie('v'), { maxKeys: 5 }),
  ),
})).v;

describe('loader fuzz', () => {
  it('arbitrary text never throws anything but a ScenarioError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => onlyCleanErrors(() => parseScenarioText(t, 'f.yaml'))), { numRuns: 400 });
  });

  it('YAML-ish text never throws anything but a ScenarioError', () => {
    fc.assert(fc.property(yamlish, (t) => onlyCleanErrors(() => parseScenarioText(t, 'f.yaml'))), { numRuns: 400 });
  });

  it('arbitrary objects, as objects and as YAML, never throw anything but a ScenarioError', () => {
    fc.assert(
      fc.property(value, (v) => {
        onlyCleanErrors(() => parseScenarioObject(v, 'f.yaml'));
        return onlyCleanErrors(() => parseScenarioText(stringify(v), 'f.yaml'));
      }),
      { numRuns: 400 },
    );
  });

  it('mutations of a valid scenario never throw anything but a ScenarioError', () => {
    const base = {
      name: 't', description: 'd', fleet: { preset: 'alphaswarm' }, load: { warmup: '3s', duration: '40s' },
      kill: { at: '3s', path: 'rest', scope: 'platform', mode: 'cancel' }, release: { after: '6s' },
    };
    fc.assert(
      fc.property(fc.constantFrom('fleet', 'load', 'kill', 'release', 'matrix', 'faults', 'expect'), value, (k, v) =>
        onlyCleanErrors(() => parseScenarioText(stringify({ ...base, [k]: v }), 'f.yaml')),
      ),
      { numRuns: 400 },
    );
  });

  it('alias bombs are refused cleanly', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(() => parseScenarioText(bomb, 'f.yaml')).toThrow(ScenarioError);
  });
});
