// The guardrail probes against a small HTTP server on 127.0.0.1 (no fleet).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGuardProbe, redisKeyProbe } from './guard-probes.ts';

let server: Server;
let base = '';
let status = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1000);
    res.writeHead(status).end(status === 200 ? 'ok' : 'unhealthy');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('httpGuardProbe (--guard URL)', () => {
  it('is good on 2xx, bad on any other status, naming it', async () => {
    status = 200;
    expect(await httpGuardProbe(`${base}/health`)()).toBeNull();
    status = 503;
    expect(await httpGuardProbe(`${base}/health`)()).toBe(`GET ${base}/health answered 503: unhealthy`);
  });

  it('is bad when nothing answers, or not within its timeout', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await httpGuardProbe(`http://127.0.0.1:${port}/health`)()).toMatch(new RegExp(`^GET http://127.0.0.1:${port}/health did not answer: `));
    expect(await httpGuardProbe(`${base}/slow`, 100)()).toMatch(/did not answer: .*(timeout|aborted)/i);
  });
});

describe('redisKeyProbe (--guard-redis-key KEY)', () => {
  it('stays good before the fleet is up and while its Redis cannot be read', async () => {
    expect(await redisKeyProbe('drill:stop', () => undefined)()).toBeNull();
    expect(await redisKeyProbe('drill:stop', () => base.replace('http', 'redis'), 200)()).toBeNull();
  });
});
