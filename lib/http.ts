// The one JSON-over-HTTP client of killdrill (harness and fleet-sim): bearer token, JSON body,
// a timeout on every request. Callers word their own errors (what answered, what to do).
export interface HttpResponse {
  status: number;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON; the raw text when it is not JSON; null when empty. */
  body: unknown;
}

export interface RequestOptions {
  method?: string;
  /** Sent as `authorization: Bearer <token>`. */
  token?: string;
  /** Sent as JSON (content-type application/json); a string is sent as it is (already JSON). */
  json?: unknown;
  /** Default 10 s. */
  timeoutMs?: number;
}

/** A kept-alive socket the server closed as it was reused: the request never reached it. */
const STALE_SOCKET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/**
 * fetch, once more on a fresh connection when a GET (idempotent) met a kept-alive socket the server
 * had just closed (its idle timeout racing our reuse: seen as a bare "fetch failed" on a busy stand-in
 * between two cases). Never for other methods, never for a timeout or a refused connection.
 */
async function fetchIdempotent(url: string, init: RequestInit & { method: string }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = (err as Error & { cause?: { code?: string } }).cause?.code;
    if (init.method !== 'GET' || code === undefined || !STALE_SOCKET.has(code) || init.signal?.aborted) throw err;
    return fetch(url, init);
  }
}

/** One request; resolves with any status, rejects only when there is no answer (unreachable, timeout). */
export async function request(url: string, o: RequestOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetchIdempotent(url, {
    method: o.method ?? 'GET',
    headers,
    body: o.json === undefined ? undefined : typeof o.json === 'string' ? o.json : JSON.stringify(o.json),
    signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the raw text
  }
  return { status: res.status, text, body };
}

export interface GetJsonOptions {
  token?: string;
  /** Default 5 s. */
  timeoutMs?: number;
  /** The error for a non-2xx answer; default `killdrill: GET <path> answered <status>: <text>`. */
  error?: (status: number, text: string, path: string) => string;
}

/** GET a JSON document; throws on a non-2xx answer, and when there is no answer (naming the URL and the cause). */
export async function getJson<T>(url: string, o: GetJsonOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetchIdempotent(url, { method: 'GET', headers: o.token !== undefined ? { authorization: `Bearer ${o.token}` } : {}, signal: AbortSignal.timeout(o.timeoutMs ?? 5_000) });
  } catch (err) {
    throw new Error(`killdrill: GET ${url.replace(/\?.*$/, '')} got no answer: ${describeError(err)}`, { cause: err });
  }
  if (!res.ok) {
    const path = new URL(url).pathname;
    const text = await res.text();
    throw new Error(o.error ? o.error(res.status, text, path) : `killdrill: GET ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  }
  return (await res.json()) as T;
}

/** POST a JSON body with a bearer token; any status. */
export function postJson(url: string, token: string, body: unknown, timeoutMs = 10_000): Promise<HttpResponse> {
  return request(url, { method: 'POST', token, json: body, timeoutMs });
}

/** An error's message with its network cause (ECONNREFUSED…) when there is one. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${err.message} (${cause.code})` : err.message;
  }
  return String(err);
}

/** `url` with these query parameters added (a full URL may already carry a query of its own). */
export function withQuery(url: string, params: Record<string, string | number>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}
