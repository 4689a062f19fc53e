// An external target's endpoints: what the file names, tokens from the variables it names, nothing invented.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTargetText, type ExternalTarget } from './index.ts';
import { externalEndpoints, TargetEnvError } from './external-runtime.ts';
import { publicEndpoints, secretsOf } from '../runtime/index.ts';

const EXAMPLE = readFileSync(join(resolve(import.meta.dirname, '../..'), 'targets/external.example.yaml'), 'utf8');
const target = (text = EXAMPLE) => parseTargetText(text, 't.yaml') as ExternalTarget;
const ENV = { STAGING_BROKER_TOKEN: 'op-tok', STAGING_BROKER_RELEASE_TOKEN: 'rel-tok', STAGING_DROPCOPY_TOKEN: 'dc-tok', STAGING_REDIS_PASSWORD: 'pw', STAGING_SUPERVISOR_TOKEN: 'sup-tok', HOME: '/home/u' };

describe('externalEndpoints', () => {
  it("hands the runner the hosts' supervisors and their own token, kept out of what the history shows", () => {
    const ep = externalEndpoints(target(), ENV);
    expect(ep.hosts).toEqual({ 'node-a': 'https://node-a.staging.example.internal:7001', 'node-b': 'https://node-b.staging.example.internal:7001' });
    expect(ep.hostsToken).toBe('sup-tok');
    expect(secretsOf(ep)).toContain('sup-tok');
    expect(JSON.stringify(publicEndpoints(ep))).not.toContain('sup-tok');
    expect(publicEndpoints(ep).hosts).toEqual(ep.hosts);
  });

  it('without hosts: none, and the supervisors token is not asked for', () => {
    const i = EXAMPLE.indexOf('# Optional: each host');
    const { STAGING_SUPERVISOR_TOKEN: _, ...env } = ENV;
    const ep = externalEndpoints(target(EXAMPLE.slice(0, i)), env);
    expect(ep.hosts).toEqual({});
    expect(ep.hostsToken).toBeUndefined();
  });

  it('an unset supervisors token is named with the others, before anything starts', () => {
    const { STAGING_SUPERVISOR_TOKEN: _, ...env } = ENV;
    expect(() => externalEndpoints(target(), env)).toThrow(TargetEnvError);
    expect(() => externalEndpoints(target(), env)).toThrow(/STAGING_SUPERVISOR_TOKEN \(hosts\.tokenEnv\)/);
  });
});
