// Secrets (the REST token, the releaseToken) never reach a report: every string a report is built
// from is scrubbed when the run is read, and every file is scrubbed again when written.
import type { RunData } from './run-types.ts';

export const REDACTED = '[redacted]';

function usable(secrets: readonly string[]): string[] {
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of usable(secrets)) out = out.split(s).join(REDACTED);
  return out;
}

export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  const list = usable(secrets);
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[redactText(k, list)] = walk(x);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}

export function redactRun(run: RunData, secrets: readonly string[]): RunData {
  if (usable(secrets).length === 0) return run;
  return { dir: run.dir, history: redactDeep(run.history, secrets), result: redactDeep(run.result, secrets) };
}
