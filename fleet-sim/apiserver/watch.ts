// Watch streams: newline-delimited JSON events {type, object}. From resourceVersion ""/"0"
// the current objects come first as ADDED; from N, every change after N in order; from a
// version older than the kept history, one ERROR event carrying a 410 Expired Status.
// BOOKMARK events every 10 s when allowWatchBookmarks=true; closes after timeoutSeconds.
import type { ServerResponse } from 'node:http';
import { GROUP_VERSION, type ResourceDef } from './resources.ts';
import { ApiError, badRequest } from './status.ts';
import type { Matcher } from './selectors.ts';
import type { KubeObject, Store, StoreEvent } from './store.ts';

export interface WatchParams {
  resourceVersion: string | null;
  timeoutSeconds: number | null;
  allowBookmarks: boolean;
  namespace?: string;
  match: Matcher;
}

const BOOKMARK_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_S = 1800;

export function serveWatch(store: Store, def: ResourceDef, p: WatchParams, res: ServerResponse): void {
  const inScope = (o: KubeObject) => (p.namespace === undefined || o.metadata.namespace === p.namespace) && p.match(o);
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
  };
  let backlog: StoreEvent[] | null = null;
  let initial: KubeObject[] = [];
  const rvParam = p.resourceVersion ?? '';
  if (rvParam === '' || rvParam === '0') {
    initial = store.list(def.plural, p.namespace).filter(inScope);
  } else {
    const n = Number(rvParam);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${JSON.stringify(rvParam)}`);
    try {
      backlog = store.eventsSince(n);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status.code !== 410) throw err;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
      write('ERROR', err.status);
      res.end();
      return;
    }
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  let lastRv = store.resourceVersion;
  for (const o of initial) write('ADDED', o);
  for (const e of backlog ?? []) if (e.resource === def.plural && inScope(e.object)) write(e.type, e.object);
  const unsubscribe = store.subscribe((e) => {
    lastRv = e.rv;
    if (e.resource === def.plural && inScope(e.object)) write(e.type, e.object);
  });
  const bookmark = p.allowBookmarks
    ? setInterval(() => write('BOOKMARK', { kind: def.kind, apiVersion: GROUP_VERSION, metadata: { resourceVersion: String(lastRv) } }), BOOKMARK_INTERVAL_MS)
    : undefined;
  const timeout = setTimeout(() => res.end(), (p.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000);
  const cleanup = () => {
    unsubscribe();
    clearInterval(bookmark);
    clearTimeout(timeout);
  };
  res.on('close', cleanup);
  res.on('finish', cleanup);
}
