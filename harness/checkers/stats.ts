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
