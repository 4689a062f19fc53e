// The soak's plateau verdict (fleet-soak.ts): pure, so it can be tested on literal series.

/** Plateau over samples (bytes), start-up fifth left out: the second half's max within 2 % and 8 MiB of the first's; fewer than 3 samples a half, or a sample without the component (NaN), is unknown, never plateau. */
export function plateau(xs: number[]): { verdict: 'plateau' | 'growing' | 'unknown'; firstMax: number; secondMax: number } {
  const rest = xs.slice(Math.floor(xs.length / 5));
  const half = Math.floor(rest.length / 2);
  const a = rest.slice(0, half);
  const b = rest.slice(half);
  if (a.length < 3 || b.length < 3 || rest.some((x) => !Number.isFinite(x))) return { verdict: 'unknown', firstMax: NaN, secondMax: NaN };
  const firstMax = Math.max(...a);
  const secondMax = Math.max(...b);
  return { verdict: secondMax <= firstMax * 1.02 && secondMax - firstMax <= 8 * 2 ** 20 ? 'plateau' : 'growing', firstMax, secondMax };
}
