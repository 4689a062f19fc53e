// The one secret-redaction module (the REST token, the releaseToken, anything under a secret-looking
// key). The recorder scrubs every op it writes, result.json is scrubbed before it is written, and the
// reports scrub the run they read and every text they write — all with these functions.
export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear (`token`, `releaseToken`, `authorization`, …). */
export const SECRET_KEY = /token|password|secret|authorization/i;

function usable(secrets: readonly string[]): string[] {
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))].sort((a, b) => b.length - a.length);
}

/** Every occurrence of every known secret value replaced by [redacted]. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of usable(secrets)) out = out.split(s).join(REDACTED);
  return out;
}

/** A JSON.stringify replacer: the value of every secret-looking key becomes [redacted]. */
export function secretKeyReplacer(key: string, value: unknown): unknown {
  return key && SECRET_KEY.test(key) && value !== undefined && value !== null ? REDACTED : value;
}

/** A deep copy with every secret-looking key's value [redacted] and every known secret value replaced. */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  const list = usable(secrets);
  const walk = (v: unknown, key: string): unknown => {
    if (key && SECRET_KEY.test(key) && v !== undefined && v !== null) return REDACTED;
    if (typeof v === 'string') return list.length ? redactText(v, list) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[list.length ? redactText(k, list) : k] = walk(x, k);
      return o;
    }
    return v;
  };
  return walk(value, '') as T;
}
