// flag-store-silent's check(): what it accepts and refuses, against the alphaswarm preset's components.
import { describe, expect, it } from 'vitest';
import { flagStoreSilent } from './flag-store-silent.ts';
import { presetComponents } from './static-check.ts';

const c = presetComponents('alphaswarm', 12);

describe('flag-store-silent check', () => {
  it('accepts freeze (the default) and blackhole, on every host or one', () => {
    expect(flagStoreSilent.check({}, c)).toBeNull();
    expect(flagStoreSilent.check({ form: 'freeze' }, c)).toBeNull();
    expect(flagStoreSilent.check({ form: 'blackhole' }, c)).toBeNull();
    expect(flagStoreSilent.check({ form: 'blackhole', host: 'node-a' }, c)).toBeNull();
  });

  it('refuses an unknown form, a host for freeze, a host without bots, a fleet without Redis', () => {
    expect(flagStoreSilent.check({ form: 'drop' }, c)).toMatch(/'form' must be 'freeze' or 'blackhole'/);
    expect(flagStoreSilent.check({ form: 'freeze', host: 'node-a' }, c)).toMatch(/blackhole form only/);
    expect(flagStoreSilent.check({ form: 'blackhole', host: 'control' }, c)).toMatch(/no bots' Redis links for host 'control'/);
    expect(flagStoreSilent.check({}, c.filter((x) => x.name !== 'redis'))).toMatch(/no 'redis' component/);
  });
});
