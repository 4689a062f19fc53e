// The supervisor's HTTP API (docs/contracts.md §4), bearer token on every request.
import { createServer, type Server } from 'node:http';
import { checkBearer, guarded, HttpError, readJson, sendJson } from '../orchestrator/http-util.ts';
import type { Supervisor } from './supervisor.ts';

export function supervisorServer(sup: Supervisor, token: string): Server {
  return createServer((req, res) => {
    void guarded(res, async () => {
      checkBearer(req, token);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const method = req.method ?? 'GET';
      if (parts.length === 1 && parts[0] === 'daemons') {
        if (method === 'GET') return sendJson(res, 200, sup.list());
        if (method === 'POST') return sendJson(res, 201, sup.load(await readJson(req)));
        throw new HttpError(405, `${method} /daemons is not supported; use GET or POST`);
      }
      if (parts.length === 1 && parts[0] === 'events') {
        if (method !== 'GET') throw new HttpError(405, 'use GET /events?after=N');
        const raw = url.searchParams.get('after') ?? '0';
        if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, "'after' must be a non-negative integer (the 'next' of the previous reply)");
        return sendJson(res, 200, sup.eventsAfter(Number(raw)));
      }
      if (parts.length === 3 && parts[0] === 'daemons') {
        const [, name, action] = parts;
        if (method !== 'POST') throw new HttpError(405, `use POST /daemons/${name}/${action}`);
        await readJson(req);
        if (action === 'stop') return sendJson(res, 200, await sup.stop(name));
        if (action === 'start') return sendJson(res, 200, sup.start(name));
        if (action === 'kill') return sendJson(res, 200, await sup.kill(name));
        if (action === 'disable') return sendJson(res, 200, await sup.disable(name));
        throw new HttpError(404, `unknown action '${action}'; use stop, start, kill or disable`);
      }
      throw new HttpError(404, `no route ${method} ${url.pathname}; see docs/contracts.md §4`);
    });
  });
}
