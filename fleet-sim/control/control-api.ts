// The fleet's process control API (docs/contracts.md §8), served by `sim up` on ports.control.
import { createServer, type Server } from 'node:http';
import type { Fleet } from '../orchestrator/fleet.ts';
import { checkBearer, guarded, HttpError, readJson, sendJson } from '../orchestrator/http-util.ts';
import { ACTIONS, controlComponent, listComponents, type Action } from './components.ts';
import { JWKS_PATH } from '../auth/jwks.ts';

export function controlServer(fleet: Fleet): Server {
  // One action at a time: a restart racing a stop of the same process helps no one.
  let queue: Promise<unknown> = Promise.resolve();
  return createServer((req, res) => {
    void guarded(res, async () => {
      // The auth provider's key set is public (no bearer), as a JWKS is.
      if (req.method === 'GET' && (req.url ?? '').split('?')[0] === JWKS_PATH) return fleet.auth.answer(res);
      checkBearer(req, fleet.plan.file.token);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const method = req.method ?? 'GET';
      if (parts.length === 1 && parts[0] === 'components') {
        if (method !== 'GET') throw new HttpError(405, 'use GET /components');
        return sendJson(res, 200, await listComponents(fleet));
      }
      if (parts.length === 3 && parts[0] === 'components') {
        const [, name, action] = parts;
        if (method !== 'POST') throw new HttpError(405, `use POST /components/${name}/${action}`);
        if (!(ACTIONS as readonly string[]).includes(action)) throw new HttpError(404, `unknown action '${action}'; use one of ${ACTIONS.join(', ')}`);
        await readJson(req);
        const run = queue.then(() => controlComponent(fleet, name, action as Action, url.searchParams));
        queue = run.catch(() => {});
        return sendJson(res, 200, await run);
      }
      throw new HttpError(404, `no route ${method} ${url.pathname}; use GET /components or POST /components/<name>/<action>`);
    });
  });
}

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
