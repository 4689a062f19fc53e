// The fleet's auth provider (seed 001 scenario D, Auth0's JWKS): `sim up`'s control server answers
// GET /auth/.well-known/jwks.json (public, no bearer, as a JWKS is) with the key set the broker's
// token verification depends on. The `auth-outage` fault (control API `stop` of component `auth`)
// makes it answer 503 until `start`. The broker (process runtime) fetches it on every authenticated
// request and fails closed: 503 `jwks_unreachable`, never an unverified request let through.
import type { ServerResponse } from 'node:http';

export const JWKS_PATH = '/auth/.well-known/jwks.json';
/** The key id the broker requires in the key set (the fleet's tokens are "signed" with it). */
export const JWKS_KID = 'killdrill-fleet';

export class AuthProvider {
  outage = false;
  served = 0;
  refused = 0;

  answer(res: ServerResponse): void {
    const [status, body] = this.outage
      ? (this.refused++, [503, { error: 'temporarily_unavailable', error_description: 'the auth provider is down (killdrill auth-outage fault)' }] as const)
      : (this.served++, [200, { keys: [{ kid: JWKS_KID, kty: 'oct', alg: 'HS256', use: 'sig' }] }] as const);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}
