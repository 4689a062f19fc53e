// flag-store-silent's check(): what it accepts and refuses, against the alphaswarm preset's components.
import { describe, expect, it } from 'vitest';
import { flagStoreSilent } from './flag-store-silent.ts';
import { ALPHASWARM_COMPONENTS } from './alphaswarm-components.fixture.ts';
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';

const c = ALPHASWARM_COMPONENTS;

describe('flag-store-silent check', () => {
  it('accepts freeze (the default) and blackhole, on every host or one', () => {
    expect(flagStoreSilent.check({}, c, DEFAULT_KEY_PREFIX)).toBeNull();
    expect(flagStoreSilent.check({ form: 'freeze' }, c, DEFAULT_KEY_PREFIX)).toBeNull();
    expect(flagStoreSilent.check({ form: 'blackhole' }, c, DEFAULT_KEY_PREFIX)).toBeNull();
    expect(flagStoreSilent.check({ form: 'blackhole', host: 'node-a' }, c, DEFAULT_KEY_PREFIX)).toBeNull();
  });

  it('refuses an unknown form, a host for freeze, a host without bots, a fleet without Redis', () => {
    expect(flagStoreSilent.check({ form: 'drop' }, c, DEFAULT_KEY_PREFIX)).toMatch(/'form' must be 'freeze' or 'blackhole'/);
    expect(flagStoreSilent.check({ form: 'freeze', host: 'node-a' }, c, DEFAULT_KEY_PREFIX)).toMatch(/blackhole form only/);
    expect(flagStoreSilent.check({ form: 'blackhole', host: 'control' }, c, DEFAULT_KEY_PREFIX)).toMatch(/no bots' Redis links for host 'control'/);
    expect(flagStoreSilent.check({}, c.filter((x) => x.name !== 'redis'), DEFAULT_KEY_PREFIX)).toMatch(/no 'redis' component/);
  });
});
