// Address rules: this proxy listens on, and connects to, 127.0.0.1 only. A drill tool
// must never reach another machine, so any other host is refused with a 400.
// One exception, only when whoever started the proxy says so (`--network-names`, which
// `sim up --runtime docker` passes): inside a run's own docker network the proxy also
// accepts exactly the names of that run's containers (resolved by the network's DNS) and
// binds its listeners on `bind` (0.0.0.0 inside its container, whose ports are published
// on 127.0.0.1 only). No other name, and never an IP address other than loopback.
import { ApiError } from './api-error.ts';

export const LOOPBACK = '127.0.0.1';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

export interface AddressPolicy {
  /** Where listeners bind. */
  bind: string;
  /** Host names accepted besides loopback (the run network's container names). */
  names: ReadonlySet<string>;
}

export const LOOPBACK_ONLY: AddressPolicy = { bind: LOOPBACK, names: new Set() };

const NAME = /^[a-z0-9]([a-z0-9_.-]{0,126}[a-z0-9])?$/i;

/**
 * The policy for a proxy inside a run's docker network: `names` must be plain DNS names
 * (no IP addresses, no wildcards), `bind` 127.0.0.1 or 0.0.0.0.
 */
export function networkPolicy(bind: string, names: string[]): AddressPolicy {
  if (bind !== LOOPBACK && bind !== '0.0.0.0') throw new Error(`killdrill: proxy bind host ${bind} refused; use 127.0.0.1 or (inside a container) 0.0.0.0`);
  for (const n of names) {
    if (!NAME.test(n) || /^[\d.]+$/.test(n) || n.includes(':')) throw new Error(`killdrill: network name '${n}' refused; give the container names of the run's own network (letters, digits, '-', '_', '.'), not addresses`);
  }
  return { bind, names: new Set(names) };
}

export interface HostPort {
  host: string;
  port: number;
}

function splitHostPort(address: string, field: string): { host: string; portText: string } {
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(address);
  if (bracketed) return { host: bracketed[1], portText: bracketed[2] };
  const colon = address.lastIndexOf(':');
  if (colon < 0) {
    throw new ApiError(`killdrill: ${field} "${address}" has no port; write it as 127.0.0.1:PORT`, 400);
  }
  return { host: address.slice(0, colon), portText: address.slice(colon + 1) };
}

function parsePort(portText: string, field: string, address: string, allowZero: boolean): number {
  if (!/^\d{1,5}$/.test(portText)) {
    throw new ApiError(`killdrill: ${field} "${address}" has an invalid port; use a number 0-65535`, 400);
  }
  const port = Number(portText);
  if (port > 65535 || (!allowZero && port === 0)) {
    throw new ApiError(
      `killdrill: ${field} "${address}" has an invalid port; use ${allowZero ? '0' : '1'}-65535`,
      400,
    );
  }
  return port;
}

function refuseHost(field: string, address: string, policy: AddressPolicy): ApiError {
  const also = policy.names.size ? ` or a container of this run's network (${[...policy.names].join(', ')})` : '';
  return new ApiError(
    `killdrill: ${field} "${address}" is not on 127.0.0.1${also}; this proxy only listens on and connects to ` +
      `127.0.0.1 (or localhost)${also ? ' and its own run network' : ''} so a drill can never reach another machine`,
    400,
  );
}

/** `listen`: "", ":P", "127.0.0.1:P", "localhost:P" (P may be 0 = any free port); or one of the policy's names. Binds `policy.bind`. */
export function parseListen(address: string, policy: AddressPolicy = LOOPBACK_ONLY): HostPort {
  if (address === '') return { host: policy.bind, port: 0 };
  const { host, portText } = splitHostPort(address, 'listen');
  if (host !== '' && !LOOPBACK_NAMES.has(host) && !policy.names.has(host)) throw refuseHost('listen', address, policy);
  return { host: policy.bind, port: parsePort(portText, 'listen', address, true) };
}

/** `upstream`: "127.0.0.1:P" or "localhost:P"; or "<name>:P" for one of the policy's names. */
export function parseUpstream(address: string, policy: AddressPolicy = LOOPBACK_ONLY): HostPort {
  const { host, portText } = splitHostPort(address, 'upstream');
  const named = policy.names.has(host);
  if (!LOOPBACK_NAMES.has(host) && !named) throw refuseHost('upstream', address, policy);
  return { host: named ? host : LOOPBACK, port: parsePort(portText, 'upstream', address, false) };
}
