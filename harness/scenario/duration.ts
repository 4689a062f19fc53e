// Durations in scenario files: '250ms', '10s', '1.5s', '5m', '1h' → milliseconds.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_PATTERN = '^(0|[1-9][0-9]*)(\\.[0-9]+)?(ms|s|m|h)$';
const RE = new RegExp(DURATION_PATTERN);

/** The duration in ms, or null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = RE.exec(text);
  if (!m) return null;
  const ms = Number(m[1] + (m[2] ?? '')) * UNITS[m[3]];
  return Number.isFinite(ms) && ms <= 7 * 24 * 3_600_000 ? Math.round(ms) : null;
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
