// readHostDaemons (preflight-target.ts), the one read of the hosts' GET /daemons the runner's roster and
// preflight share, against a small real HTTP server: the tags and the endpoint checks it returns, the
// hosts' token, and a host that refuses or does not answer rejecting with the words getJson used.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson } from '../../lib/http.ts';
import { freePort } from '../../lib/ports.ts';
import type { TargetEndpoints } from '../runtime/index.ts';
import { readHostDaemons } from './preflight-target.ts';

let http: Server;
let base = '';
const seen: Array<{ path: string; auth: string | undefined }> = [];
beforeAll(async () => {
  http = createServer((req, res) => {
    const path = req.url ?? '';
    seen.push({ path, auth: req.headers.authorization });
    if (path === '/a/daemons') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ name: 'mm-a', tags: ['trading'] }, { name: 'gw-a' }]));
    else if (path === '/b/daemons') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ name: 'sa-b', tags: ['trading', 'quant'] }]));
    else if (path === '/bad/daemons') res.writeHead(200, { 'content-type': 'application/json' }).end('not json');
    else res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"killdrill: bad token"}');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => http.close(() => r())));
beforeEach(() => void (seen.length = 0));

const ep = (hosts: Record<string, string>, over: Partial<TargetEndpoints> = {}): TargetEndpoints => ({
  redisUrl: 'redis://127.0.0.1:1', token: 'broker-token', hosts,
  reads: { bots: { url: `${base}/bots` }, ledger: { url: `${base}/ledger` }, journal: { url: `${base}/journal` } },
  ...over,
});
const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e as Error).message);

describe('readHostDaemons', () => {
  it("reads each host's /daemons once, with the hosts' token: the daemons' tags by host/daemon and each read as a preflight endpoint check", async () => {
    const r = await readHostDaemons(ep({ 'node-a': `${base}/a`, 'node-b': `${base}/b` }, { hostsToken: 'hosts-token' }));
    expect([...r.tags]).toEqual([['node-a/mm-a', ['trading']], ['node-a/gw-a', []], ['node-b/sa-b', ['trading', 'quant']]]);
    expect(r.checks.map(({ ms, ...c }) => (expect(ms).toBeGreaterThanOrEqual(0), c))).toEqual([
      { endpoint: 'host node-a', url: `${base}/a/daemons`, ok: true, status: 200 },
      { endpoint: 'host node-b', url: `${base}/b/daemons`, ok: true, status: 200 },
    ]);
    expect(seen).toEqual([{ path: '/a/daemons', auth: 'Bearer hosts-token' }, { path: '/b/daemons', auth: 'Bearer hosts-token' }]);
  });

  it("uses the broker's token when the target names no hosts token; no hosts, no read", async () => {
    await readHostDaemons(ep({ 'node-a': `${base}/a` }));
    expect(seen).toEqual([{ path: '/a/daemons', auth: 'Bearer broker-token' }]);
    expect(await readHostDaemons(ep({}))).toEqual({ tags: new Map(), checks: [] });
  });

  it('a host that refuses rejects with the words getJson used, and the hosts after it are not read', async () => {
    const msg = await rejection(readHostDaemons(ep({ 'node-x': `${base}/x`, 'node-a': `${base}/a` })));
    expect(msg).toBe('killdrill: GET /x/daemons answered 401: {"error":"killdrill: bad token"}');
    expect(msg).toBe(await rejection(getJson(`${base}/x/daemons`, { token: 'broker-token' })));
    expect(seen.map((s) => s.path)).toEqual(['/x/daemons', '/x/daemons']);
  });

  it('an answer that is not JSON, or a host that does not answer, rejects', async () => {
    const bad = await rejection(readHostDaemons(ep({ bad: `${base}/bad` })));
    expect(bad).toMatch(/not valid JSON/);
    expect(bad).toBe(await rejection(getJson(`${base}/bad/daemons`)));
    const port = await freePort();
    expect(await rejection(readHostDaemons(ep({ gone: `http://127.0.0.1:${port}` })))).toBe(`killdrill: host gone's supervisor (GET http://127.0.0.1:${port}/daemons) got no answer: fetch failed (ECONNREFUSED)`);
  });
});
