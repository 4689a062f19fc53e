// kill.fallback in the history: after a lever-fallback the kill is the fallback path's lever (what
// every checker measures from), and killAttempts() lists each path tried, in order, and which worked.
import { describe, expect, it } from 'vitest';
import { build, kill, roster } from '../checkers/history-fixture.ts';

const failedRest = [
  { type: 'lever-issued', lever: 'kill', path: 'rest', scope: 'platform', target: 'platform', mode: 'cancel', at: 1000 },
  { type: 'lever-failed', lever: 'kill', error: '/bots/halt-all: 503 jwks_unreachable', at: 1050 },
  { type: 'lever-fallback', from: 'rest', to: 'redis', reason: '/bots/halt-all: 503 jwks_unreachable', at: 1060 },
];

describe('lever-fallback', () => {
  it('makes the fallback the kill, and records the failed path before it', () => {
    const h = build(roster(), failedRest, kill(1070, 1170, { path: 'redis' }));
    expect(h.lever('kill')).toMatchObject({ path: 'redis', issuedAt: 1070, engagedAt: 1170, failed: null });
    expect(h.killAttempts()).toEqual([
      { path: 'rest', issuedAt: 1000, engagedAt: null, failed: '/bots/halt-all: 503 jwks_unreachable' },
      { path: 'redis', issuedAt: 1070, engagedAt: 1170, failed: null },
    ]);
  });

  it('a fallback that fails too is the failed kill (nothing engaged: the checkers say unknown)', () => {
    const h = build(roster(), failedRest, { type: 'lever-issued', lever: 'kill', path: 'redis', scope: 'platform', target: 'platform', mode: 'cancel', at: 1070 }, { type: 'lever-failed', lever: 'kill', error: 'ECONNREFUSED', at: 1080 });
    expect(h.lever('kill')).toMatchObject({ path: 'redis', engagedAt: null, failed: 'ECONNREFUSED' });
    expect(h.killAttempts().map((a) => a.failed)).toEqual(['/bots/halt-all: 503 jwks_unreachable', 'ECONNREFUSED']);
  });

  it('without a fallback the kill is the first lever, as before', () => {
    const h = build(roster(), failedRest.slice(0, 2));
    expect(h.lever('kill')).toMatchObject({ path: 'rest', engagedAt: null });
    expect(h.killAttempts()).toHaveLength(1);
  });
});
