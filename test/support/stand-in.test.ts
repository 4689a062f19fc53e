// The stand-in's target file (test/support/stand-in.ts) without a fleet: the sections asked for, only
// those, each only when the JSON line has what it names, the tokens never written, and a file
// `killdrill run --target` loads.
import { describe, expect, it } from 'vitest';
import { parseTargetText } from '../../harness/target/index.ts';
import { standInTarget, type StandInLine } from './stand-in.ts';

const ep: StandInLine = {
  runId: 'r1', redisUrl: 'redis://127.0.0.1:6400', brokerUrl: 'http://127.0.0.1:6401', venueUrl: 'http://127.0.0.1:6402',
  token: 'tok-aaaaaaaaaaaaaaaaaaaaaaaa', releaseToken: 'rel-bbbbbbbbbbbbbbbbbbbbbbbb', dataDir: '/tmp/d', controlUrl: 'http://127.0.0.1:6403',
  hosts: { 'node-a': 'http://127.0.0.1:6404', 'node-b': 'http://127.0.0.1:6405' }, proxyUrl: 'http://127.0.0.1:6406', kubeconfig: '/tmp/d/kubeconfig',
};

describe('standInTarget', () => {
  it('writes no optional section unless asked, and never a token', () => {
    const text = standInTarget(ep, 'sim-up-stand-in', []);
    const t = parseTargetText(text, 'stand-in.yaml') as Record<string, unknown>;
    expect(t).toMatchObject({ kind: 'external', name: 'sim-up-stand-in', environment: 'staging' });
    expect([t.toxiproxy, t.kubernetes, t.hosts]).toEqual([undefined, undefined, undefined]);
    expect(text).not.toContain(ep.token);
    expect(text).not.toContain(ep.releaseToken);
  });

  it('writes each section asked for from the line', () => {
    const t = parseTargetText(standInTarget(ep, 'bench-stand-in', ['toxiproxy', 'kubernetes', 'hosts']), 'stand-in.yaml') as Record<string, unknown>;
    expect(t.name).toBe('bench-stand-in');
    expect(t.toxiproxy).toEqual({ url: ep.proxyUrl });
    expect(t.kubernetes).toMatchObject({ kubeconfig: ep.kubeconfig });
    expect(t.hosts).toMatchObject({ tokenEnv: 'STANDIN_TOKEN', supervisors: ep.hosts });
  });

  it('leaves out kubernetes and hosts when the line has no kubeconfig or no hosts', () => {
    const t = parseTargetText(standInTarget({ ...ep, kubeconfig: undefined, hosts: {} }, 'x', ['kubernetes', 'hosts']), 'stand-in.yaml') as Record<string, unknown>;
    expect([t.kubernetes, t.hosts]).toEqual([undefined, undefined]);
  });
});
