// The broker process: HTTP on 127.0.0.1:ports.broker, bearer auth on every request, the
// routes of routes.ts, state rebuilt from `<dataDir>/broker.sqlite`. No request can crash it.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { bindHost, linkAddress, type FleetFile } from '../fleet-file.ts';
import { nowMs } from '../model.ts';
import { BrokerDb } from './broker-db.ts';
import { HaltController } from './halt-controller.ts';
import { MemoryHaltState, SqliteHaltState } from './halt-state.ts';
import { requireJwks, jwksUrlOf } from './jwks-check.ts';
import { authenticate, HttpError, parseJsonBody, readBody, sendError, sendJson } from './http-io.ts';
import { KillStore } from './kill-store.ts';
import { buildRoutes, type Handler, type RouteContext } from './routes.ts';

export interface BrokerHandle {
  url: string;
  bootId: string;
  close(): Promise<void>;
}

async function handle(req: IncomingMessage, res: ServerResponse, file: FleetFile, routes: Map<string, Record<string, Handler>>): Promise<void> {
  const after: Array<() => void> = [];
  try {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      throw new HttpError(400, 'the request target is not a valid URL path');
    }
    const raw = await readBody(req);
    await requireJwks(jwksUrlOf(file));
    const role = authenticate(req, file.token, file.releaseToken);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const route = routes.get(path);
    if (!route) throw new HttpError(404, `no route ${path.slice(0, 200)}; see docs/contracts.md §3 for the broker's API`);
    const method = (req.method ?? 'GET').toUpperCase();
    const handler = route[method];
    if (!handler) {
      const allow = Object.keys(route).join(', ');
      throw new HttpError(405, `${method} is not allowed on ${path}; use ${allow}`, { headers: { allow } });
    }
    const body = method === 'GET' ? undefined : parseJsonBody(req, raw);
    if (method === 'GET' && raw.length > 0) throw new HttpError(400, `GET ${path} takes no body; send the parameters in the query string`);
    const ctx: RouteContext = { role, body, query: url.searchParams, after };
    const out = await handler(ctx);
    sendJson(res, 200, out);
  } catch (err) {
    if (err instanceof HttpError) sendError(res, err);
    else {
      process.stderr.write(`killdrill: broker: internal error on ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}\n`);
      sendError(res, new HttpError(500, `internal error (${err instanceof Error ? err.message : String(err)}); see the broker's stderr and report it`));
    }
  } finally {
    if (after.length) {
      const run = (): void => {
        for (const f of after) {
          try {
            f();
          } catch (e) {
            process.stderr.write(`killdrill: broker: after-response work failed: ${String(e)}\n`);
          }
        }
      };
      if (res.writableFinished) run();
      else res.once('close', run);
    }
  }
}

async function listenWithRetry(server: Server, port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'EADDRINUSE' || Date.now() > deadline) {
        throw new Error(`killdrill: broker cannot listen on 127.0.0.1:${port} (${code ?? String(e)}); stop whatever holds that port or pick another ports.broker`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startBroker(file: FleetFile): Promise<BrokerHandle> {
  const bugs = file.config.bugs ?? [];
  const boot = { bootId: randomUUID(), pid: process.pid, startedAt: nowMs() };
  const db = new BrokerDb(file.config.dataDir);
  const store = bugs.includes('halt-state-in-memory') ? new MemoryHaltState() : new SqliteHaltState(db);
  const kill = new KillStore(linkAddress(file, 'broker-redis'), file.config.keyPrefix, file.config.defaultMode);
  const halt = new HaltController(file, db, store, kill);
  const routes = buildRoutes({ file, db, kill, halt, boot });
  // Serve even without Redis (halt levels, audit, 503s naming Redis), but give it a moment.
  if (!(await kill.whenReady(3000))) process.stderr.write(`killdrill: broker: Redis at ${kill.address} not reachable yet; serving, Redis-backed requests answer 503 until it is\n`);
  const state = store.get();
  db.audit(boot.startedAt, 'broker', 'broker-started', { bootId: boot.bootId, pid: boot.pid, haltLevel: state.level, incident: state.incident?.id ?? null, bugs });

  const server = createServer({ requestTimeout: 120_000, headersTimeout: 30_000 }, (req, res) => {
    void handle(req, res, file, routes);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"killdrill: malformed HTTP request; send a valid HTTP/1.1 request"}');
    else socket.destroy();
  });
  await listenWithRetry(server, file.ports.broker, 10_000, bindHost(file));
  const url = `http://127.0.0.1:${file.ports.broker}`;
  return {
    url,
    bootId: boot.bootId,
    async close() {
      server.closeIdleConnections();
      const closed = new Promise<void>((r) => server.close(() => r()));
      const t = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(t);
      await kill.close();
      db.close();
    },
  };
}
