// p50 / p99 / max of a list of milliseconds (nearest rank); nulls when empty.
export interface Spread {
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export function spread(values: number[]): Spread {
  if (!values.length) return { p50: null, p99: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { p50: rank(0.5), p99: rank(0.99), max: s[s.length - 1] };
}

export const fmtMs = (ms: number | null) => (ms === null ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/**
 * P(X ≤ k) for X ~ Binomial(n, p), summed in log space so a large n does not underflow to 0
 * (written here: the one figure needed does not justify a statistics dependency).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!(n >= 0) || !Number.isInteger(n) || !Number.isInteger(k)) throw new RangeError(`binomialCdf needs integers, got k=${k} n=${n}`);
  if (k < 0) return 0;
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  const lq = Math.log1p(-p);
  const ratio = Math.log(p) - lq;
  let logPmf = n * lq; // k = 0
  let logSum = logPmf;
  for (let i = 0; i < k; i++) {
    logPmf += Math.log(n - i) - Math.log(i + 1) + ratio;
    const hi = Math.max(logSum, logPmf);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logPmf - hi));
  }
  return Math.min(1, Math.exp(logSum));
}
