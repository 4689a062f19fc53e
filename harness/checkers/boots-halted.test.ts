// boots-halted on literal histories: passes (booted Stopped; booted Draining with the mode's own
// cancel), fails (booted Running; a forbidden effect before Stopped), unknown (no start during the
// kill, no phase after the start, no engaged kill, no roster).
import { describe, expect, it } from 'vitest';
import { bootsHalted } from './boots-halted.ts';
import { build, effect, kill, observed, phase, release, roster } from './history-fixture.ts';

// mm-aapl runs in node-a/market-making-a (ROSTER); the kill is engaged at 1100, released at 9000.
const start = (at: number, daemon = 'market-making-a', host = 'node-a') => ({ type: 'daemon', host, daemon, event: 'start', pid: 42, code: null, signal: null, at });
const exit = (at: number, daemon = 'market-making-a', host = 'node-a') => ({ type: 'daemon', host, daemon, event: 'exit', pid: 41, code: null, signal: 'SIGKILL', at });
const base = () => [roster(), phase('mm-aapl', 'Running', 0), kill(1000, 1100), phase('mm-aapl', 'Draining', 1150), phase('mm-aapl', 'Stopped', 1400), release(9000)];

describe('boots-halted', () => {
  it('passes: the daemon killed at 3000 starts at 3100 and its bot boots Stopped; later effects after the release do not count', () => {
    const v = bootsHalted(build(base(), exit(3000), start(3100), phase('mm-aapl', 'Stopped', 3300), effect('mm-aapl', 'order', 9500), observed(10_000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/1 daemon start\(s\) into the engaged kill: all 1 in-scope bot boot\(s\) Stopped/);
    expect(v.details).toMatchObject({ mode: 'cancel', starts: [{ daemon: 'node-a/market-making-a', at: 3100 }] });
  });

  it('passes a boot into Draining whose only effects before Stopped are the cancel mode\'s own cancels', () => {
    const v = bootsHalted(build(base(), start(3100), phase('mm-aapl', 'Draining', 3300), effect('mm-aapl', 'cancel', 3350), phase('mm-aapl', 'Stopped', 3700), observed(10_000)), {});
    expect(v.valid).toBe(true);
  });

  it('fails a bot that boots Running during the kill, and names the order it sent before Stopped', () => {
    const v = bootsHalted(build(base(), start(3100), phase('mm-aapl', 'Running', 3300), effect('mm-aapl', 'order', 3400), phase('mm-aapl', 'Draining', 8000), phase('mm-aapl', 'Stopped', 8300), observed(10_000)), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 in-scope bot\(s\) booted Running while the kill was engaged: mm-aapl \(node-a\/market-making-a pid 42\)/);
    expect(v.summary).toMatch(/1 effect\(s\) the cancel mode forbids .* \(the first 300 ms after the start\): mm-aapl/);
    expect(v.details).toMatchObject({ bootedRunning: ['mm-aapl'], forbiddenEffects: 1 });
  });

  it('fails an order dispatched after the start and before the boot phase was reported, even if it then says Stopped', () => {
    const v = bootsHalted(build(base(), start(3100), effect('mm-aapl', 'order', 3150), phase('mm-aapl', 'Stopped', 3300), observed(10_000)), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ bootedRunning: [], forbiddenEffects: 1 });
  });

  it('is unknown with no daemon start during the kill (before it or after the release do not count), or a start of a daemon with no in-scope bot', () => {
    const none = bootsHalted(build(roster(), start(500), phase('mm-aapl', 'Running', 600), kill(1000, 1100), phase('mm-aapl', 'Stopped', 1400), release(9000), start(9100), observed(10_000)), {});
    expect(none.valid).toBe('unknown');
    expect(none.summary).toMatch(/no daemon with in-scope bots started while the kill was engaged/);
    const other = bootsHalted(build(roster(), kill(1000, 1100, { scope: 'bot', target: 'sa-msft' }), start(3100), observed(10_000)), {});
    expect(other.valid).toBe('unknown');
  });

  it('is unknown when the started daemon\'s bot reported no phase after the start (missing evidence, never a pass)', () => {
    const v = bootsHalted(build(base(), start(3100), observed(10_000)), {});
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/1 in-scope bot\(s\) reported no phase after their daemon started into the kill \(mm-aapl\)/);
  });

  it('a process killed before its bots reported or sent anything never booted: not judged; only such lives is unknown', () => {
    const killedEarly = [start(3100), exit(3900)];
    const v = bootsHalted(build(base(), killedEarly, start(4100), phase('mm-aapl', 'Stopped', 4300), observed(10_000)), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/\(1 more exited before booting: nothing to judge\)/);
    expect(v.details).toMatchObject({ notBooted: ['mm-aapl (pid 42)'] });
    const only = bootsHalted(build(base(), killedEarly, observed(10_000)), {});
    expect(only.valid).toBe('unknown');
    expect(only.summary).toMatch(/exited before its bots reported a phase or sent anything/);
    // An effect in that life is evidence: a forbidden one fails even without a phase.
    expect(bootsHalted(build(base(), killedEarly, effect('mm-aapl', 'order', 3500), observed(10_000)), {}).valid).toBe(false);
  });

  it('is unknown without an engaged kill or without a roster', () => {
    expect(bootsHalted(build(roster(), kill(1000, null), start(3100), phase('mm-aapl', 'Stopped', 3300)), {}).valid).toBe('unknown');
    expect(bootsHalted(build(base().slice(1), start(3100), phase('mm-aapl', 'Stopped', 3300)), {}).valid).toBe('unknown');
  });

  it('judges a scale-out replica\'s bots (roster-added), which the start-of-run roster does not have', () => {
    const added = { type: 'roster-added', at: 12_000, bots: [{ slug: 'mm-aapl-r2', host: 'node-a', daemon: 'market-making-a-2', fleet: 'market-making', tenant: 'tenant-a', group: 'bots', class: 'hft', asset: 'AAPL', tags: ['trading'] }] };
    const start2 = start(3100, 'market-making-a-2');
    const good = bootsHalted(build(base(), start2, phase('mm-aapl-r2', 'Stopped', 3300), observed(10_000), added), {});
    expect(good.valid).toBe(true);
    expect(good.details).toMatchObject({ added: ['mm-aapl-r2'] });
    const bad = bootsHalted(build(base(), start2, phase('mm-aapl-r2', 'Running', 3300), observed(10_000), added), {});
    expect(bad.valid).toBe(false);
    expect(bad.summary).toMatch(/mm-aapl-r2 \(node-a\/market-making-a-2 pid 42\)/);
    // Without the roster-added op the replica's start has no in-scope bot: unknown.
    expect(bootsHalted(build(base(), start2, phase('mm-aapl-r2', 'Running', 3300), observed(10_000)), {}).valid).toBe('unknown');
  });
});
