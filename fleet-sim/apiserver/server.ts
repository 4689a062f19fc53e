// The HTTP server: bearer-token auth, discovery, OpenAPI, namespaces, and routing of the
// quantbot.io/v1 resource paths to the object handlers and watch streams.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_NAMESPACE, GROUP, VERSION, RESOURCES, crdList, apiGroupDoc, apiGroupList, apiVersions, coreResourceList, groupResourceList, serverVersion, type ResourceDef } from './resources.ts';
import { CRD_GV_PATH, openapiV2Protobuf, openapiV3Core, openapiV3Crd, openapiV3GroupVersion, openapiV3Index } from './openapi.ts';
import { ApiError, methodNotAllowed, pageNotFound, unauthorized } from './status.ts';
import { bodyFormat, parseBody, readBody, sendError, sendJson } from './http-io.ts';
import { createObject, deleteObject, listDoc, patchObject, updateObject, type WriteOptions } from './objects.ts';
import { fieldMatcher, labelMatcher } from './selectors.ts';
import { toTable, wantsTable } from './table.ts';
import { serveWatch } from './watch.ts';
import { Store, type StoreOptions } from './store.ts';

export interface ApiServerOptions extends StoreOptions {
  port?: number;
  /** Bind host: 127.0.0.1 (default), 0.0.0.0 inside the run's docker network. */
  host?: string;
  /**
   * Bearer token. A request carrying another token gets 401. A request with no
   * Authorization header is served as anonymous: kubectl (client-go) never sends
   * credentials over plain http, so over http the token cannot be required of it.
   */
  token?: string;
}

export interface ApiServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

const PREFIX = `/apis/${GROUP}/${VERSION}`;

interface Route {
  def: ResourceDef;
  ns?: string;
  name?: string;
  sub?: 'status';
}

/** `/apis/quantbot.io/v1[/namespaces/NS]/PLURAL[/NAME[/status]]` → Route, or null. */
function route(path: string): Route | null {
  if (!path.startsWith(PREFIX + '/')) return null;
  const seg = path.slice(PREFIX.length + 1).split('/').map(decodeURIComponent);
  let ns: string | undefined;
  if (seg[0] === 'namespaces' && seg.length >= 3) {
    ns = seg[1];
    seg.splice(0, 2);
  }
  const def = RESOURCES[seg[0]];
  if (!def || seg.length > 3 || (seg.length === 3 && seg[2] !== 'status')) return null;
  if (ns === undefined && seg.length > 1) return null;
  return { def, ns, name: seg[1], sub: seg[2] === 'status' ? 'status' : undefined };
}

function namespaceObj(name: string): unknown {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

async function handle(store: Store, opts: ApiServerOptions, hostPort: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = req.headers.authorization;
  if (opts.token && auth !== undefined && auth !== `Bearer ${opts.token}`) throw unauthorized();
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  const get = method === 'GET' || method === 'HEAD';
  if (get) {
    const fixed: Record<string, () => unknown> = {
      '/version': serverVersion,
      '/api': () => apiVersions(hostPort),
      '/api/v1': coreResourceList,
      '/apis': apiGroupList,
      [`/apis/${GROUP}`]: apiGroupDoc,
      [PREFIX]: groupResourceList,
      '/openapi/v3': openapiV3Index,
      [`/openapi/v3/apis/${GROUP}/${VERSION}`]: openapiV3GroupVersion,
      [`/openapi/v3/${CRD_GV_PATH}`]: openapiV3Crd,
      '/openapi/v3/api/v1': openapiV3Core,
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': crdList,
    };
    if (fixed[path]) return sendJson(res, 200, fixed[path]());
    if (path === '/openapi/v2') {
      const pb = openapiV2Protobuf();
      res.writeHead(200, { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'content-length': pb.length });
      return void res.end(pb);
    }
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    }
    if (path === '/api/v1/namespaces') {
      const names = [...new Set(['default', DEFAULT_NAMESPACE, ...store.namespaces()])].sort();
      return sendJson(res, 200, { apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: String(store.resourceVersion) }, items: names.map(namespaceObj) });
    }
    const nsm = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (nsm) return sendJson(res, 200, namespaceObj(decodeURIComponent(nsm[1]))); // every namespace exists
  }
  const r = route(path);
  if (!r) throw pageNotFound();
  const { def, ns, name, sub } = r;
  const warnings: string[] = [];
  const wopts: WriteOptions = { fieldValidation: q.get('fieldValidation'), dryRun: q.get('dryRun') === 'All', warnings };
  const reply = (code: number, body: unknown) =>
    sendJson(res, code, body, warnings.length ? { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {});
  if (name === undefined) {
    if (get) {
      const match = ((l, f) => (o: Parameters<typeof l>[0]) => l(o) && f(o))(labelMatcher(q.get('labelSelector')), fieldMatcher(q.get('fieldSelector')));
      if (q.get('watch') === 'true' || q.get('watch') === '1') {
        const t = q.get('timeoutSeconds');
        return serveWatch(store, def, { resourceVersion: q.get('resourceVersion'), timeoutSeconds: t ? Number(t) : null, allowBookmarks: q.get('allowWatchBookmarks') === 'true', namespace: ns, match }, res);
      }
      const items = store.list(def.plural, ns).filter(match);
      if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(def, items, String(store.resourceVersion), q.get('includeObject')));
      return sendJson(res, 200, listDoc(def, items, store.resourceVersion));
    }
    if (method === 'POST' && ns !== undefined) {
      bodyFormat(req, false);
      const created = createObject(store, def, ns, parseBody(await readBody(req), req), wopts);
      return reply(201, created);
    }
    if (method === 'DELETE' && ns !== undefined) {
      const items = store.list(def.plural, ns).filter(labelMatcher(q.get('labelSelector')));
      const deleted = items.map((o) => deleteObject(store, def, ns, o.metadata.name, null, wopts.dryRun));
      return sendJson(res, 200, listDoc(def, deleted, store.resourceVersion));
    }
    throw methodNotAllowed();
  }
  if (ns === undefined) throw pageNotFound();
  if (get) {
    const o = store.get(def.plural, ns, name);
    if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(def, [o], o.metadata.resourceVersion, q.get('includeObject')));
    return sendJson(res, 200, o);
  }
  if (method === 'PUT') {
    bodyFormat(req, false);
    return reply(200, updateObject(store, def, ns, name, parseBody(await readBody(req), req), sub, wopts));
  }
  if (method === 'PATCH') {
    const format = bodyFormat(req, true);
    const { object, created } = patchObject(store, def, ns, name, parseBody(await readBody(req), req), format, sub, wopts);
    return reply(created ? 201 : 200, object);
  }
  if (method === 'DELETE' && !sub) {
    const text = await readBody(req);
    let body: unknown = null;
    try {
      body = text.trim() ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return sendJson(res, 200, deleteObject(store, def, ns, name, body, wopts.dryRun));
  }
  throw methodNotAllowed();
}

/** Start the apiserver on 127.0.0.1:port (0 = any free port). */
export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const store = new Store(opts);
  let hostPort = '127.0.0.1:0';
  const server: Server = createServer((req, res) => {
    handle(store, opts, hostPort, req, res).catch((err) => {
      if (!(err instanceof ApiError)) process.stderr.write(`killdrill: apiserver: ${req.method} ${req.url}: ${(err as Error)?.stack ?? err}\n`);
      sendError(res, err);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hostPort = `127.0.0.1:${port}`;
  return {
    url: `http://${hostPort}`,
    port,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        store.saveNow();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
