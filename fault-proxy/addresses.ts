// Address rules: this proxy listens on, and connects to, 127.0.0.1 only. A drill tool
// must never reach another machine, so any other host is refused with a 400.
import { ApiError } from './api-error.ts';

export const LOOPBACK = '127.0.0.1';
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost']);

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

function refuseHost(field: string, address: string): ApiError {
  return new ApiError(
    `killdrill: ${field} "${address}" is not on 127.0.0.1; this proxy only listens on and connects to ` +
      `127.0.0.1 (or localhost) so a drill can never reach another machine`,
    400,
  );
}

/** `listen`: "", ":P", "127.0.0.1:P", "localhost:P" (P may be 0 = any free port). */
export function parseListen(address: string): HostPort {
  if (address === '') return { host: LOOPBACK, port: 0 };
  const { host, portText } = splitHostPort(address, 'listen');
  if (host !== '' && !LOOPBACK_NAMES.has(host)) throw refuseHost('listen', address);
  return { host: LOOPBACK, port: parsePort(portText, 'listen', address, true) };
}

/** `upstream`: "127.0.0.1:P" or "localhost:P". */
export function parseUpstream(address: string): HostPort {
  const { host, portText } = splitHostPort(address, 'upstream');
  if (!LOOPBACK_NAMES.has(host)) throw refuseHost('upstream', address);
  return { host: LOOPBACK, port: parsePort(portText, 'upstream', address, false) };
}
