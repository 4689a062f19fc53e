// k6's `--summary-export` file: which thresholds were crossed (there `true` means crossed).
import { readFileSync } from 'node:fs';

/** `metric: expression` of every crossed threshold; null when the file is missing or unreadable. */
export function crossedThresholds(file: string): string[] | null {
  let s: { metrics?: Record<string, { thresholds?: Record<string, boolean> }> };
  try {
    s = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const out: string[] = [];
  for (const [metric, m] of Object.entries(s.metrics ?? {})) {
    for (const [expr, crossed] of Object.entries(m.thresholds ?? {})) if (crossed === true) out.push(`${metric}: ${expr}`);
  }
  return out;
}
