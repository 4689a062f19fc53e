// crash-loop's and scale-out's parameter and target checks against a preset's planned components (no
// fleet); the faults themselves run against a real fleet in scenarios/incidents/{crash-loop,scale-out}-during-halt.yaml.
import { describe, expect, it } from 'vitest';
import { crashLoop } from './crash-loop.ts';
import { ALPHASWARM_COMPONENTS } from './alphaswarm-components.fixture.ts';

const c = ALPHASWARM_COMPONENTS;
describe('crash-loop check', () => {
  it('takes a daemon with optional times and upS', () => {
    expect(crashLoop.check({ target: 'market-making-a' }, c, '')).toBeNull();
    expect(crashLoop.check({ target: 'market-making-a', times: 4, upS: 0.5 }, c, '')).toBeNull();
  });
  it('refuses a component that is not a daemon, an unknown one, and bad counts', () => {
    expect(crashLoop.check({ target: 'gateway' }, c, '')).toMatch(/is a gateway; crash-loop needs a daemon/);
    expect(crashLoop.check({ target: 'nope' }, c, '')).toMatch(/not a component of this fleet/);
    expect(crashLoop.check({ target: 'market-making-a', times: 0 }, c, '')).toMatch(/'times' must be a whole number of kills from 1 to 20/);
    expect(crashLoop.check({ target: 'market-making-a', upS: -1 }, c, '')).toMatch(/'upS' must be/);
  });
});

describe('scale-out check', () => {
  it('takes a bot daemon; against a live fleet only one with a standby replica', async () => {
    const { scaleOut } = await import('./scale-out.ts');
    expect(scaleOut.check({ target: 'market-making-a' }, c, '')).toBeNull();
    expect(scaleOut.check({ target: 'gateway' }, c, '')).toMatch(/scale-out needs a bot daemon/);
    const live = c.map((x) => ({ ...x, state: 'running' }));
    expect(scaleOut.check({ target: 'market-making-a' }, live, '')).toMatch(/no standby replica of 'market-making-a'; add fleet.overrides.scaleOut: \[market-making-a\]/);
    expect(scaleOut.check({ target: 'market-making-a' }, [...live, { name: 'market-making-a-2', kind: 'daemon', pid: null, state: 'standby' }], '')).toBeNull();
  });
});
