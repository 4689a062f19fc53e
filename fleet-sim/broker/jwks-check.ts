// The broker's token verification depends on the auth provider's JWKS (fleet-sim/auth/jwks.ts):
// before a request's bearer token is checked, the key set is fetched (no cache: seed 001 scenario D,
// "every authenticated request fails with jwks_unreachable"). Unreachable, non-2xx or without the
// fleet's key id: 503 jwks_unreachable — fail closed, nothing is done. Process runtime only: in the
// docker runtime the broker cannot reach sim up's control port, so there is no JWKS dependency.
import type { FleetFile } from '../fleet-file.ts';
import { JWKS_KID, JWKS_PATH } from '../auth/jwks.ts';
import { HttpError } from './http-io.ts';

export function jwksUrlOf(file: FleetFile): string | null {
  return file.ports.control > 0 && !file.net ? `http://127.0.0.1:${file.ports.control}${JWKS_PATH}` : null;
}

export async function requireJwks(url: string | null): Promise<void> {
  if (!url) return;
  let why: string;
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    const body = (await r.json().catch(() => null)) as { keys?: Array<{ kid?: string }> } | null;
    if (r.ok && body?.keys?.some((k) => k.kid === JWKS_KID)) return;
    why = r.ok ? `the key set has no key '${JWKS_KID}'` : `it answered ${r.status}`;
  } catch (err) {
    why = err instanceof Error ? err.message : String(err);
  }
  throw new HttpError(503, `jwks_unreachable: the token cannot be verified, the auth provider's JWKS (${url}) is unreachable (${why}); nothing was done — retry when auth is back, or use a kill path that needs no broker (redis, crd)`);
}
