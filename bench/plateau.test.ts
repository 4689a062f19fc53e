// The soak's plateau verdict on literal RSS series: flat passes, growing fails, too few samples is unknown.
import { describe, expect, it } from 'vitest';
import { plateau } from './plateau.ts';

const MiB = 2 ** 20;
describe('plateau', () => {
  it('start-up growth then flat (within 2 % and 8 MiB): plateau', () => {
    const xs = [300, 500, 640, 650, 652, 655, 651, 654, 656, 653, 655, 654].map((x) => x * MiB);
    expect(plateau(xs).verdict).toBe('plateau');
  });
  it('still growing after start-up (670 → 710 MB): growing', () => {
    const xs = [600, 650, 670, 675, 680, 685, 690, 695, 700, 705, 710, 715].map((x) => x * MiB);
    expect(plateau(xs)).toMatchObject({ verdict: 'growing', firstMax: 690 * MiB, secondMax: 715 * MiB });
  });
  it('growth under 2 % but over 8 MiB is growing; too few samples is unknown, never plateau', () => {
    const xs = [900, 900, 900, 900, 900, 910, 910, 910].map((x) => x * MiB);
    expect(plateau(xs).verdict).toBe('growing');
    expect(plateau([1, 2, 3, 4, 5].map((x) => x * MiB)).verdict).toBe('unknown');
    expect(plateau([100, 100, 100, NaN, 100, 100, 100, 100].map((x) => x * MiB)).verdict).toBe('unknown'); // a component not found in a sample
  });
});
