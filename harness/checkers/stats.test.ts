// The checkers' small statistics against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { binomialCdf, spread } from './stats.ts';

describe('binomialCdf', () => {
  it('matches exact sums', () => {
    expect(binomialCdf(3, 10, 0.5)).toBeCloseTo(176 / 1024, 12); // (1 + 10 + 45 + 120) / 2^10
    expect(binomialCdf(0, 10, 0.25)).toBeCloseTo(0.75 ** 10, 12);
    expect(binomialCdf(1, 2, 0.5)).toBeCloseTo(0.75, 12);
  });
  it('does not underflow for a large n, and is 1 or 0 at the edges', () => {
    expect(binomialCdf(1000, 2000, 0.5)).toBeCloseTo(0.5089, 4);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(0, 10, 0)).toBe(1);
    expect(binomialCdf(3, 10, 1)).toBe(0);
  });
  it('refuses non-integers rather than answering', () => {
    expect(() => binomialCdf(1.5, 10, 0.5)).toThrow(/integers/);
    expect(() => binomialCdf(1, Number.NaN, 0.5)).toThrow(/integers/);
  });
});

describe('spread', () => {
  it('nearest-rank p50, p99 and max; nulls when empty', () => {
    expect(spread([5, 1, 3])).toEqual({ p50: 3, p99: 5, max: 5 });
    expect(spread([])).toEqual({ p50: null, p99: null, max: null });
  });
});
