import { describe, expect, it } from 'vitest';
import { portRange } from './ports.ts';

describe('portRange', () => {
  it('the whole range without a block; disjoint blocks that tile it with one', () => {
    const all = portRange(undefined, 32767);
    expect(all).toEqual({ low: 20767, high: 32767 });
    const blocks = [0, 1, 2].map((i) => portRange(`${i}/3`, 32767));
    for (let i = 1; i < 3; i++) expect(blocks[i].low).toBe(blocks[i - 1].high + 1);
    expect(blocks[0].low).toBe(all.low);
    expect(blocks[2].high).toBeLessThanOrEqual(all.high);
    expect(blocks[0].high - blocks[0].low + 1).toBe(4000);
  });

  it('rejects a malformed block naming the variable', () => {
    for (const bad of ['1', '3/3', '-1/2', 'a/b', '0/0', '0/17']) expect(() => portRange(bad, 32767)).toThrow(/KILLDRILL_PORT_BLOCK='.*' must be i\/n/);
  });
});

describe('freePort', () => {
  it('hands out a port below the ephemeral range, never one the kernel may give an outgoing connection', async () => {
    const { readFileSync } = await import('node:fs');
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const { freePort } = await import('./ports.ts');
    for (let i = 0; i < 20; i++) expect(await freePort()).toBeLessThan(low);
  });
});
