// The one HTTP client against a real server on 127.0.0.1: headers, bodies, statuses, errors, timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, getJson, postJson, request } from './http.ts';

let server: Server;
let base = '';
const seen: Array<{ method: string; url: string; auth?: string; type?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, type: req.headers['content-type'], body });
    if (req.url === '/json') return void res.end(JSON.stringify({ ok: true, echo: body }));
    if (req.url === '/text') return void res.end('plain words');
    if (req.url === '/empty') return void res.writeHead(204).end();
    if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2000);
    res.writeHead(503).end('down for a drill');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('request / postJson', () => {
  it('sends the bearer token and a JSON body; parses JSON, keeps text, null for empty; any status resolves', async () => {
    const r = await postJson(`${base}/json`, 'tok', { a: 1 });
    expect(r).toEqual({ status: 200, text: '{"ok":true,"echo":"{\\"a\\":1}"}', body: { ok: true, echo: '{"a":1}' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'Bearer tok', type: 'application/json', body: '{"a":1}' });
    expect((await request(`${base}/json`, { method: 'POST', json: '{}' })).body).toEqual({ ok: true, echo: '{}' });
    expect(seen.at(-1)?.auth).toBeUndefined();
    expect((await request(`${base}/text`)).body).toBe('plain words');
    expect(seen.at(-1)?.type).toBeUndefined();
    expect(await request(`${base}/empty`)).toEqual({ status: 204, text: '', body: null });
    expect(await request(`${base}/nope`)).toMatchObject({ status: 503, text: 'down for a drill' });
  });

  it('rejects on a timeout and when nothing listens (describeError names the cause)', async () => {
    await expect(request(`${base}/slow`, { timeoutMs: 100 })).rejects.toThrow(/timeout|aborted/i);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await request(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(describeError(err)).toMatch(/\(ECONNREFUSED\)$/);
    expect(describeError('plain')).toBe('plain');
  });
});

describe('getJson', () => {
  it('returns the document; a non-2xx answer throws the default or the caller’s message', async () => {
    expect(await getJson(`${base}/json`, { token: 't' })).toEqual({ ok: true, echo: '' });
    expect(seen.at(-1)?.auth).toBe('Bearer t');
    await expect(getJson(`${base}/nope?x=1`)).rejects.toThrow('killdrill: GET /nope answered 503: down for a drill');
    await expect(getJson(`${base}/nope`, { error: (s, t, p) => `killdrill: venue GET ${p} answered ${s} (${t})` })).rejects.toThrow('killdrill: venue GET /nope answered 503 (down for a drill)');
    await expect(getJson(`${base}/slow`, { timeoutMs: 100 })).rejects.toThrow();
  });
});

describe('a reset connection', () => {
  // The server resets the connection of the first `resets` requests (a kept-alive socket closed as it
  // was reused looks the same to the client: ECONNRESET), then answers.
  async function resetting(resets: number): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
    let hits = 0;
    const s = createServer((req, res) => {
      hits++;
      if (hits <= resets) return void req.socket.destroy();
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/x`, hits: () => hits, close: () => new Promise((r) => (s.closeAllConnections(), s.close(() => r()))) };
  }

  it('a GET is sent once more on a fresh connection; a second reset, or any POST, is not retried', async () => {
    const once = await resetting(1);
    expect(await getJson(once.url)).toEqual({ ok: true });
    expect(once.hits()).toBe(2);
    await once.close();
    const twice = await resetting(2);
    await expect(getJson(twice.url)).rejects.toThrow(/^killdrill: GET http:\/\/127\.0\.0\.1:\d+\/x got no answer: fetch failed \((ECONNRESET|UND_ERR_SOCKET)\)$/);
    expect(twice.hits()).toBe(2);
    await twice.close();
    const post = await resetting(1);
    await expect(request(post.url, { method: 'POST', json: {} })).rejects.toThrow(/fetch failed/);
    expect(post.hits()).toBe(1);
    await post.close();
  });
});
