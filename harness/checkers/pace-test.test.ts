// poolPace: which bots share the baseline interval, and the counts it sums.
import { describe, expect, it } from 'vitest';
import { pace, poolPace } from './pace-test.ts';

const bot = (slug: string, runningSince: number, everyMs: number, until: number) => ({ slug, runningSince, receivedAt: Array.from({ length: Math.floor((until - runningSince) / everyMs) }, (_, i) => runningSince + i * everyMs) });

describe('poolPace', () => {
  it('starts the baseline where it covers the most bot-time: bots a few ms apart are all kept', () => {
    // Eight slow bots Running since 0 … 70 ms (the principal fleet at seed 11: a median start dropped four).
    const bots = Array.from({ length: 8 }, (_, i) => bot(`b${i}`, i * 10, 1000, 11_000));
    const p = poolPace(bots, 3000, 11_000, 1e-6, 0.25)!;
    expect(p.bots).toHaveLength(8);
    expect(p.leftOut).toEqual([]);
    expect(p.baselineFrom).toBe(70);
    expect(p.judgeable).toBe(true);
    expect(p.starved).toBe(false);
  });
  it('leaves out a bot that restarted just before the lever rather than shrinking everyone\'s baseline', () => {
    const bots = [bot('a', 0, 500, 10_000), bot('b', 0, 500, 10_000), bot('late', 2900, 500, 10_000)];
    const p = poolPace(bots, 3000, 10_000, 1e-6, 0.25)!;
    expect(p.leftOut).toEqual(['late']);
    expect(p.baseline).toBe(12);
  });
  it('is null with fewer than two bots to pool', () => {
    expect(poolPace([bot('a', 0, 500, 10_000)], 3000, 10_000, 1e-6, 0.25)).toBeNull();
  });
});

describe('pace', () => {
  it('judgeable only when landing none would be below alpha; starved needs both the share and the probability', () => {
    expect(pace({ baseline: 6, baselineMs: 4000, landed: 0, windowMs: 3000 }, 1e-6, 0.25)).toMatchObject({ judgeable: false, starved: false, expected: 4.5 });
    expect(pace({ baseline: 40, baselineMs: 4000, landed: 0, windowMs: 8000 }, 1e-6, 0.25)).toMatchObject({ judgeable: true, starved: true, expected: 80 });
    expect(pace({ baseline: 40, baselineMs: 4000, landed: 30, windowMs: 8000 }, 1e-6, 0.25)).toMatchObject({ judgeable: true, starved: false, pValue: 1 });
  });
});
