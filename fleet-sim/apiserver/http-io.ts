// Request bodies (JSON or YAML, size-limited) and responses (JSON, Status objects).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, unsupportedMediaType } from './status.ts';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type BodyFormat = 'json' | 'merge' | 'json-patch' | 'apply';

/** The body's format from Content-Type, for the given verb. */
export function bodyFormat(req: IncomingMessage, patch: boolean): BodyFormat {
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (patch) {
    if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') return 'merge';
    if (ct === 'application/json-patch+json') return 'json-patch';
    if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+cbor') return 'apply';
    throw unsupportedMediaType(ct);
  }
  if (ct === '' || ct === 'application/json' || ct === 'application/yaml' || ct === 'application/x-yaml' || ct === '*/*') return 'json';
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format (${ct}) - accepted media types include: application/json, application/yaml`);
}

/** Parse JSON, or YAML for YAML content types and server-side apply. */
export function parseBody(text: string, req: IncomingMessage): unknown {
  const ct = req.headers['content-type'] ?? '';
  const yaml = /yaml/.test(ct);
  if (text.trim() === '') throw badRequest('the body of the request was empty; send a JSON object');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw badRequest(`couldn't get version/kind; json parse error: ${msg}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ApiError) {
    sendJson(res, err.status.code, err.status);
    return;
  }
  const message = `killdrill: apiserver internal error: ${(err as Error)?.message ?? String(err)}`;
  process.stderr.write(`${message}\n`);
  sendJson(res, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 });
}
