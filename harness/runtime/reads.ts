// Where the runner reads the bots, the ledger, the journal and the venue's book: the full URLs an
// external target names (its file's bots/ledger/journal/venue), else the simulator's shapes
// (the broker's /bots and /journal, the venue's /ledger).
import type { TargetEndpoints, WireReads } from './types.ts';

export function readsOf(ep: TargetEndpoints): WireReads {
  if (ep.reads) return ep.reads;
  if (!ep.brokerUrl || !ep.venueUrl) throw new Error('killdrill: this fleet reports no brokerUrl or venueUrl, so its bots, ledger and journal cannot be read; a target without them must name them (docs/targets.md)');
  return {
    bots: { url: `${ep.brokerUrl}/bots`, ...(ep.token !== undefined ? { token: ep.token } : {}) },
    ledger: { url: `${ep.venueUrl}/ledger` },
    journal: { url: `${ep.brokerUrl}/journal`, ...(ep.token !== undefined ? { token: ep.token } : {}) },
    venue: { url: ep.venueUrl },
  };
}

/** The endpoints as the history may show them: no token, no password (redisUrl's is removed). */
export function publicEndpoints(ep: TargetEndpoints): Record<string, unknown> {
  const { token: _t, releaseToken: _r, hostsToken: _h, reads, ...rest } = ep;
  const out: Record<string, unknown> = { ...rest, redisUrl: withoutPassword(ep.redisUrl) };
  if (reads) out.reads = Object.fromEntries(Object.entries(reads).map(([k, v]) => [k, v ? { url: v.url } : v]));
  return out;
}

export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** Every secret the endpoints carry (reports keep them out of every file they write). */
export function secretsOf(ep: TargetEndpoints): string[] {
  const out = [ep.token, ep.releaseToken, ep.hostsToken, ...Object.values(ep.reads ?? {}).map((s) => s?.token)];
  try {
    const pw = new URL(ep.redisUrl).password;
    if (pw) out.push(decodeURIComponent(pw), pw);
  } catch {
    // not a URL: no password in it
  }
  return [...new Set(out.filter((s): s is string => typeof s === 'string' && s.length > 0))];
}
