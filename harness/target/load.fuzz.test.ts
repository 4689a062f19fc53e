// Fuzz: whatever the input, the target loader returns a target or throws a clean TargetError.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseTargetObject, parseTargetText, TargetError } from './index.ts';

function onlyCleanErrors(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) {
      expect(Number.isInteger(i.line) && i.line >= 1).toBe(true);
      expect(Number.isInteger(i.col) && i.col >= 1).toBe(true);
    }
    expect(e.message.split('\n').every((l) => l.startsWith('killdrill: '))).toBe(true);
    return true;
  }
}

const keys = fc.constantFrom('kind', 'name', 'environment', 'allowDrill', 'redis', 'broker', 'kubernetes', 'ledger', 'journal', 'phases', 'bots', 'toxiproxy', 'url', 'tokenEnv', 'passwordEnv', 'releaseTokenEnv', 'source', 'kubeconfig', 'namespace', 'context', 'preset', 'bugs', 'overrides', 'runtime', 'keyPrefix');
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('external', 'simulated', 'redis-stream', 'bot-watch', 'rest', 'kubernetes', 'http://b:1/x', 'redis://r:6379', 'rediss://:pw@r', 'STAGING_TOKEN', 'ghp_abc123def456ghi789', 'staging', 'production', 'docker', 'principal'),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(keys, tie('v'), { maxKeys: 6 }),
  ),
})).v;

describe('target loader fuzz', () => {
  it('arbitrary text never throws anything but a TargetError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z:\-\[\]{}, \n'"!&*#|>0-9.]{0,200}$/)), (t) => onlyCleanErrors(() => parseTargetText(t, 'f.yaml'))), { numRuns: 400 });
  });
  it('arbitrary YAML mappings never throw anything but a TargetError', () => {
    fc.assert(
      fc.property(fc.dictionary(keys, value, { maxKeys: 12 }), fc.constantFrom('external', 'simulated', undefined), (o, kind) => {
        const obj = kind ? { ...o, kind } : o;
        return onlyCleanErrors(() => parseTargetText(stringify(obj), 'f.yaml')) && onlyCleanErrors(() => parseTargetObject(obj, 'f.yaml'));
      }),
      { numRuns: 400 },
    );
  });
});
