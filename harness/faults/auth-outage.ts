// auth-outage (seed 001 scenario D, "Auth0 JWKS returns 503"): the fleet's auth provider — the JWKS
// the broker's token verification depends on (docs/contracts.md §8, component `auth`) — answers 503
// until the heal. Every authenticated broker request then fails with 503 jwks_unreachable: the REST
// fan-out and the halt levels fail closed; Redis and the CRD path need no broker token.
import { controlComponent } from './control-api.ts';
import type { Fault } from './types.ts';

export const authOutage: Fault = {
  kind: 'auth-outage',
  check: (_p, c) => (c.some((x) => x.name === 'auth') ? null : `this fleet has no 'auth' component (its broker verifies no token against a JWKS; it has ${c.map((x) => x.name).join(', ')})`),
  async inject(ctx) {
    const detail = await controlComponent(ctx.fleet, 'auth', 'stop');
    return { detail: { target: 'auth', jwks: 503, ...detail }, heal: () => controlComponent(ctx.fleet, 'auth', 'start') };
  },
};
