// `killdrill validate --target FILE`: exit 0 for a valid target, 2 with file:line:col for an invalid one.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateMain } from './validate-command.ts';

const ROOT = resolve(import.meta.dirname, '../..');
function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
}

describe('killdrill validate --target', () => {
  it('exit 0 for the examples, alone or with scenario files', async () => {
    const o = io();
    expect(await validateMain(['--target', join(ROOT, 'targets/external.example.yaml')], o.io)).toBe(0);
    expect(o.out).toEqual([expect.stringMatching(/^ok .*external\.example\.yaml \(target alphaswarm-staging: external, environment staging\)$/)]);
    expect(await validateMain(['--target', join(ROOT, 'targets/simulated.example.yaml'), join(ROOT, 'scenarios/paths/rest.yaml')], o.io)).toBe(0);
    expect(o.out.at(-1)).toMatch(/^ok .*rest\.yaml/);
    const d = mkdtempSync(join(tmpdir(), 'killdrill-target-'));
    const prod = join(d, 'prod.yaml');
    writeFileSync(prod, readFileSync(join(ROOT, 'targets/external.example.yaml'), 'utf8').replace('environment: staging', 'environment: production').replace('allowDrill: true', 'allowDrill: false'));
    expect(await validateMain(['--target', prod], o.io)).toBe(0);
    expect(o.out.at(-1)).toMatch(/environment production \(a run will need --confirm production\), allowDrill: false/);
  });

  it('exit 2 with file:line:col and the field for an invalid target, also when the scenarios are valid', async () => {
    const d = mkdtempSync(join(tmpdir(), 'killdrill-target-'));
    const bad = join(d, 't.yaml');
    writeFileSync(bad, 'kind: simulated\npreset: principal\nruntime: vm\n');
    const o = io();
    expect(await validateMain(['--target', bad, join(ROOT, 'scenarios/paths/rest.yaml')], o.io)).toBe(2);
    expect(o.err[0]).toMatch(/^killdrill: .*t\.yaml:3:10: runtime: /);
    expect(await validateMain(['--target', join(d, 'missing.yaml')], io().io)).toBe(2);
    expect(await validateMain(['--target'], io().io)).toBe(2);
  });
});
