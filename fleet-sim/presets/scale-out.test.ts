// Standby replicas (the scale-out fault's): a copy of a bot daemon and its bots, marked standby.
import { describe, expect, it } from 'vitest';
import { topologyFor } from './index.ts';
import { withStandbyReplicas } from './scale-out.ts';

describe('withStandbyReplicas', () => {
  it('adds <daemon>-2 on the same host with a standby copy of its bots, and nothing without names', () => {
    const base = topologyFor('alphaswarm');
    expect(withStandbyReplicas(base, [])).toBe(base);
    const t = withStandbyReplicas(base, ['market-making-a']);
    const host = t.hosts.find((h) => h.daemons.some((d) => d.name === 'market-making-a'))!;
    expect(host.daemons.find((d) => d.name === 'market-making-a-2')).toMatchObject({ kind: 'bots', standby: true });
    const mine = base.bots.filter((b) => b.daemon === 'market-making-a');
    const copies = t.bots.filter((b) => b.daemon === 'market-making-a-2');
    expect(copies.map((b) => b.slug)).toEqual(mine.map((b) => `${b.slug}-r2`));
    expect(copies.every((b) => b.standby === true && b.host === host.name)).toBe(true);
    expect(t.bots.length).toBe(base.bots.length + mine.length);
    expect(base.hosts.flatMap((h) => h.daemons).some((d) => d.name === 'market-making-a-2')).toBe(false); // the preset is not changed
  });
  it('refuses a name that is not a bot daemon', () => {
    expect(() => withStandbyReplicas(topologyFor('alphaswarm'), ['gateway'])).toThrow(/killdrill: scaleOut: 'gateway' is not a bot daemon of the alphaswarm fleet; use one of .*market-making-a/);
  });
});
