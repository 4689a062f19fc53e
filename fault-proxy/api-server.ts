// The Toxiproxy 2.12 HTTP API on 127.0.0.1. Mutating requests are serialised so the
// state seen by each request is consistent. Bad input never throws out of a handler.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, toxicNotFound } from './api-error.ts';
import { LOOPBACK, LOOPBACK_ONLY, type AddressPolicy } from './addresses.ts';
import { ProxyCollection } from './proxy-collection.ts';

/** The Toxiproxy version this server speaks. */
export const TOXIPROXY_VERSION = '2.12.0';
/** Toxiproxy has no limit; this one only keeps a runaway client from filling memory. */
export const MAX_BODY_BYTES = 64 << 20;

export interface ProxyServerOptions {
  host?: string;
  port?: number;
  /**
   * Only for a proxy inside a run's own docker network (`sim up --runtime docker`): the
   * container names it may also listen on and connect to, and the bind host (0.0.0.0 in
   * its container, whose ports are published on 127.0.0.1 only). Default: loopback only.
   */
  network?: AddressPolicy;
  /** Largest request body accepted (default MAX_BODY_BYTES); larger gets 413. */
  maxBodyBytes?: number;
}

export interface ProxyServerHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `raw` is sent as is (the version body, byte for byte as Toxiproxy writes it). */
type Handler = (body: string) => Promise<{ status: number; json?: unknown; raw?: string }>;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** Not a route: Go's http.NotFound, as Toxiproxy's router answers. */
class NoRoute extends Error {}

function send(res: ServerResponse, status: number, json?: unknown): void {
  if (res.headersSent) return;
  if (json === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  if (json instanceof ApiError) {
    // As Toxiproxy writes errors (Go's http.Error): the JSON body as text/plain, newline-terminated.
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(`${JSON.stringify(json)}\n`);
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(json));
}

export function createApiHandler(collection: ProxyCollection, maxBodyBytes = MAX_BODY_BYTES) {
  let lock: Promise<unknown> = Promise.resolve();
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  };

  /** Route table: returns the handler per method for a path, or undefined (404). */
  function route(segments: string[]): Record<string, Handler> | undefined {
    const [a, b, c, d, ...rest] = segments;
    if (rest.length > 0) return undefined;
    if (a === 'version' && b === undefined) {
      return { GET: async () => ({ status: 200, raw: `{"version": "${TOXIPROXY_VERSION}"}\n` }) };
    }
    if (a === 'reset' && b === undefined) {
      return { POST: async () => (await collection.reset(), { status: 204 }) };
    }
    if (a === 'populate' && b === undefined) {
      return {
        POST: async (body) => {
          // As Toxiproxy: errors too come as application/json with the proxies applied so far
          // (null, not [], when there are none).
          let result: Awaited<ReturnType<ProxyCollection['populate']>>;
          try {
            result = await collection.populate(body);
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            result = { proxies: [], error: err };
          }
          const proxies = result.proxies.length > 0 ? result.proxies : null;
          if (result.error) return { status: result.error.status, json: { ...result.error.toJSON(), proxies } };
          return { status: 201, json: { proxies } };
        },
      };
    }
    if (a !== 'proxies') return undefined;
    if (b === undefined) {
      return {
        GET: async () => ({ status: 200, json: Object.fromEntries(collection.list().map((p) => [p.name, p])) }),
        POST: async (body) => ({ status: 201, json: await collection.create(body) }),
      };
    }
    if (c === undefined) {
      const update: Handler = async (body) => ({ status: 200, json: await collection.update(b, body) });
      return {
        GET: async () => ({ status: 200, json: collection.get(b) }),
        POST: update,
        PATCH: update,
        DELETE: async () => (await collection.remove(b), { status: 204 }),
      };
    }
    if (c !== 'toxics') return undefined;
    if (d === undefined) {
      return {
        GET: async () => ({ status: 200, json: collection.get(b).toxicArray() }),
        POST: async (body) => ({ status: 200, json: collection.get(b).addToxic(body) }),
      };
    }
    const update: Handler = async (body) => ({ status: 200, json: collection.get(b).updateToxic(d, body) });
    return {
      GET: async () => {
        const toxic = collection.get(b).getToxic(d);
        if (!toxic) throw toxicNotFound();
        return { status: 200, json: toxic };
      },
      POST: update,
      PATCH: update,
      DELETE: async () => (collection.get(b).removeToxic(d), { status: 204 }),
    };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('User agent not allowed\n');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let segments: string[];
      try {
        segments = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
      } catch {
        throw new NoRoute();
      }
      const methods = segments.some((s) => s === '') ? undefined : route(segments);
      if (!methods) throw new NoRoute();
      const method = req.method ?? 'GET';
      const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!handler) {
        // Toxiproxy's router: 405 with an empty body.
        res.writeHead(405, { Allow: Object.keys(methods).join(', ') });
        res.end();
        return;
      }
      // POST/PATCH bodies are read as Toxiproxy reads them (api-body.ts); /reset ignores its body.
      const body = method === 'POST' || method === 'PATCH' ? await readBody(req, maxBodyBytes) : '';
      const result = await serialised(() => handler(body));
      if (result.raw !== undefined) {
        res.writeHead(result.status, { 'Content-Type': 'application/json;charset=utf-8' });
        res.end(result.raw);
        return;
      }
      send(res, result.status, result.json);
    } catch (err) {
      if (err instanceof NoRoute) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end('404 page not found\n');
        return;
      }
      if (err instanceof BodyTooLarge) {
        send(res, 413, new ApiError(`killdrill: request body over ${maxBodyBytes} bytes; send a smaller body`, 413));
        return;
      }
      const apiErr = err instanceof ApiError ? err : new ApiError(`killdrill: internal error: ${String(err)}`, 500);
      send(res, apiErr.status, apiErr);
    }
  };
}

/** Starts the API server in this process. Host must be loopback (or the network policy's bind host); port 0 picks a free one. */
export async function startProxyServer(options: ProxyServerOptions = {}): Promise<ProxyServerHandle> {
  const policy = options.network ?? LOOPBACK_ONLY;
  const host = options.host ?? policy.bind;
  if (host !== LOOPBACK && host !== 'localhost' && host !== policy.bind) {
    throw new Error(`killdrill: proxy API host ${host} refused; it binds 127.0.0.1 only`);
  }
  const collection = new ProxyCollection(policy);
  const handler = createApiHandler(collection, options.maxBodyBytes);
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: host === 'localhost' ? LOOPBACK : host, port: options.port ?? 0 }, () => resolve());
  });
  server.on('error', () => {});
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        await collection.closeAll();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
