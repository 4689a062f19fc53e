// Small HTTP helpers shared by the supervisor and the control API: JSON in/out,
// bearer auth, bounded bodies, errors as {"error": "killdrill: …"}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message.startsWith('killdrill: ') ? message : `killdrill: ${message}`);
    this.status = status;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function checkBearer(req: IncomingMessage, token: string): void {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer (.+)$/.exec(h);
  const given = Buffer.from(m ? m[1] : '');
  const want = Buffer.from(token);
  if (!m || given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new HttpError(401, 'missing or wrong bearer token; send Authorization: Bearer <token> (the fleet file\'s token)');
  }
}

/** The request body as JSON (an empty body is `{}`); 413 over 1 MiB, 400 when not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body over 1 MiB; send a smaller JSON body');
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON; send a JSON object');
  }
}

/** Run a handler; turn thrown HttpErrors (and anything else) into JSON error replies. */
export async function guarded(res: ServerResponse, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    const message = err instanceof Error ? err.message : String(err);
    if (!res.headersSent) sendJson(res, status, { error: message.startsWith('killdrill: ') ? message : `killdrill: ${message}` });
    else res.destroy();
  }
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
