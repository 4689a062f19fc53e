// The broker's HTTP plumbing: errors as `{"error": "killdrill: …"}`, bounded JSON bodies,
// bearer-token roles. Nothing here knows about kill switches.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;
/** A client still sending after 413 is drained up to this much, then cut off. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export class HttpError extends Error {
  override name = 'HttpError';
  status: number;
  headers: Record<string, string>;
  extra: Record<string, unknown> | undefined;
  constructor(status: number, message: string, opts: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {}) {
    super(message.startsWith('killdrill: ') ? message : `killdrill: ${message}`);
    this.status = status;
    this.headers = opts.headers ?? {};
    this.extra = opts.extra;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { ...(err.extra ?? {}), error: err.message }, err.headers);
}

/**
 * Reads the whole body, at most `max` bytes (MAX_BODY_BYTES unless said). Over the limit → 413
 * after draining what the client still sends (so it sees the answer instead of a reset), cut off
 * past 64 MiB. `expected` names what to send instead in the 413.
 */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES, expected = 'a JSON object under 1 MiB'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const tooBig = (): HttpError =>
      new HttpError(413, `request body over ${max} bytes; send ${expected}`, { headers: { connection: 'close' } });
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > max;
    if (over && declared > MAX_DRAIN_BYTES) {
      reject(tooBig());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) over = true;
      if (!over) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) {
        req.destroy();
      }
    });
    req.on('end', () => (over ? reject(tooBig()) : resolve(Buffer.concat(chunks))));
    req.on('error', (e) => reject(new HttpError(400, `could not read the request body (${e.message}); resend the request`)));
    req.on('close', () => {
      if (!req.complete) reject(over ? tooBig() : new HttpError(400, 'the client closed the connection before the body ended; resend the request'));
    });
  });
}

/** Parses a JSON body: empty → undefined; anything but a JSON object → 400; wrong content type → 415. */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0) return undefined;
  const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (ct !== 'application/json') {
    throw new HttpError(415, `content-type '${ct || '(none)'}' is not accepted; send the body as application/json`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `the body is not valid JSON (${e instanceof Error ? e.message : String(e)}); send a JSON object`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'the body must be a JSON object such as {"reason": "…"}; see docs/contracts.md §3');
  }
  return value as Record<string, unknown>;
}

export type Role = 'operator' | 'risk-officer';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The caller's role from `Authorization: Bearer <token>`; 401 when missing or unknown. */
export function authenticate(req: IncomingMessage, token: string, releaseToken: string): Role {
  const header = req.headers.authorization;
  const unauthorized = (why: string): HttpError =>
    new HttpError(401, `${why}; send 'Authorization: Bearer <token>' with the fleet's token (sim up --json prints it)`, {
      headers: { 'www-authenticate': 'Bearer realm="killdrill-broker"' },
    });
  if (!header) throw unauthorized('no Authorization header');
  const m = /^Bearer ([^\s]+)\s*$/i.exec(header);
  if (!m) throw unauthorized('the Authorization header is not a bearer token');
  if (same(m[1], releaseToken)) return 'risk-officer';
  if (same(m[1], token)) return 'operator';
  throw unauthorized('unknown bearer token');
}
