// Where the runner reads (a simulated fleet's shapes, or an external target's full URLs) and what of
// the endpoints the history may show: no token, no Redis password.
import { describe, expect, it } from 'vitest';
import { publicEndpoints, readsOf, secretsOf } from './index.ts';
import type { TargetEndpoints } from './index.ts';

const SIM: TargetEndpoints = { redisUrl: 'redis://127.0.0.1:6390', brokerUrl: 'http://127.0.0.1:7001', venueUrl: 'http://127.0.0.1:7002', token: 'op', releaseToken: 'risk', controlUrl: 'http://127.0.0.1:7003', hosts: { a: 'http://127.0.0.1:7004' }, dataDir: '/d' };
const EXT: TargetEndpoints = {
  redisUrl: 'redis://:p%40ss@127.0.0.1:6390',
  brokerUrl: 'http://127.0.0.1:7001',
  token: 'op',
  releaseToken: 'risk',
  hosts: {},
  reads: { bots: { url: 'http://b/bots', token: 'bt' }, ledger: { url: 'http://dc/v1/ledger?feed=x', token: 'lt' }, journal: { url: 'http://b/journal' } },
  external: { name: 's', environment: 'staging' },
};

describe('readsOf', () => {
  it("a simulated fleet: the broker's /bots and /journal, the venue's /ledger and book", () => {
    expect(readsOf(SIM)).toEqual({ bots: { url: 'http://127.0.0.1:7001/bots', token: 'op' }, ledger: { url: 'http://127.0.0.1:7002/ledger' }, journal: { url: 'http://127.0.0.1:7001/journal', token: 'op' }, venue: { url: 'http://127.0.0.1:7002' } });
  });
  it('an external target: its own full URLs, never derived', () => {
    expect(readsOf(EXT)).toBe(EXT.reads);
    expect(() => readsOf({ redisUrl: 'redis://x', hosts: {} })).toThrow(/^killdrill: this fleet reports no brokerUrl or venueUrl/);
  });
});

describe('publicEndpoints and secretsOf', () => {
  it('the history gets no token and no Redis password; the reports are told every secret', () => {
    const shown = JSON.stringify(publicEndpoints(EXT));
    for (const s of ['op', 'risk', 'bt', 'lt', 'p%40ss', 'p@ss']) expect(shown).not.toContain(`"${s}"`);
    expect(shown).not.toContain('p%40ss');
    expect(publicEndpoints(EXT)).toMatchObject({ redisUrl: 'redis://127.0.0.1:6390', reads: { ledger: { url: 'http://dc/v1/ledger?feed=x' } }, external: { name: 's' } });
    expect(secretsOf(EXT).sort()).toEqual(['bt', 'lt', 'op', 'p%40ss', 'p@ss', 'risk']);
    expect(secretsOf(SIM).sort()).toEqual(['op', 'risk']);
  });
});
