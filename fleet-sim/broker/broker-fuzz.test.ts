// Fuzzing the real broker process with fast-check: malformed JSON, wrong types, unknown
// fields, huge bodies, random paths/methods/tokens and raw garbage on the socket. Every
// answer is a 4xx with a killdrill error; the process stays up and keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import { HALT_ENDPOINTS } from '../model.ts';
import { api, startTestFleet, type TestFleet } from './test-fleet.ts';

const POST_ROUTES = [...Object.keys(HALT_ENDPOINTS), '/killswitch', '/killswitch/release', '/halt/level', '/halt/resume'];
const GET_ROUTES = ['/status', '/bots', '/audit', '/journal'];
const RUNS = 60;

/** A body that is wrong in at least one way: not JSON, not an object, an unknown field, or a bad type. */
const badBody = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => `{${s}`),
  fc.constantFrom('', 'nul', '{"a":}', '[', '{"level":1,,}', '\u0000\u00ff', '{"level":1}}'),
  fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.integer(), fc.constant(null), fc.string({ maxLength: 10 }), fc.boolean()).map((v) => JSON.stringify(v)),
  fc.record({ zz_unknown: fc.jsonValue() }, { requiredKeys: ['zz_unknown'] }).chain((o) =>
    fc.dictionary(fc.constantFrom('mode', 'reason', 'scope', 'target', 'level', 'confirm', 'asset'), fc.jsonValue(), { maxKeys: 3 }).map((d) => JSON.stringify({ ...d, ...o })),
  ),
  fc.dictionary(fc.constantFrom('mode', 'reason', 'scope', 'target', 'level', 'confirm', 'asset', 'ttlS'), fc.oneof(fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 })), { minKeys: 1, maxKeys: 4 }).map((d) => JSON.stringify(d)),
);

const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_~-]{1,16}$/),
  fc.constantFrom('%00', '%ff', '%2F', 'halt', 'level', 'killswitch', 'status', '%20'),
);
const randomPath = fc.tuple(fc.array(segment, { maxLength: 4 }), fc.option(fc.stringMatching(/^[a-z=&0-9%]{0,20}$/), { nil: undefined })).map(
  ([segs, q]) => `/fz${segs.length ? '/' + segs.join('/') : ''}${q === undefined ? '' : '?' + q}`,
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

describe('broker fuzz', () => {
  let f: TestFleet;
  beforeAll(async () => {
    f = await startTestFleet();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('bad bodies on every POST route are 400/415/422 with a killdrill error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_ROUTES), badBody, fc.boolean(), async (path, body, jsonType) => {
        const token = path === '/killswitch/release' || path === '/halt/resume' ? f.file.releaseToken : f.file.token;
        const headers = { 'content-type': jsonType ? 'application/json' : 'text/plain' };
        const r = await api(f.url, 'POST', path, token, body, headers);
        // An empty body is "no body" (allowed on the halt endpoints): then the route's own rules apply.
        if (body === '' && (path in HALT_ENDPOINTS || path === '/halt/resume')) return;
        expect([400, 415, 422], `${path} ${body.slice(0, 80)} → ${r.status}`).toContain(r.status);
        expect(r.body.error).toMatch(/^killdrill: /);
      }),
      { numRuns: RUNS },
    );
    expect(f.received()).toEqual([]);
  });

  it('random paths are 404; known paths with the wrong method are 405; bad tokens 401', async () => {
    await fc.assert(
      fc.asyncProperty(randomPath, method, async (path, m) => {
        const r = await api(f.url, m, path, f.file.token);
        expect(r.status, `${m} ${path}`).toBe(404);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_ROUTES, ...GET_ROUTES), method, async (path, m) => {
        const allowed = POST_ROUTES.includes(path) ? 'POST' : 'GET';
        fc.pre(m !== allowed);
        const r = await api(f.url, m, path, f.file.token);
        expect(r.status, `${m} ${path}`).toBe(405);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_ROUTES, ...GET_ROUTES, '/fz'), fc.option(fc.stringMatching(/^[A-Za-z0-9._~+/-]{0,40}$/), { nil: null }), async (path, token) => {
        fc.pre(token !== f.file.token && token !== f.file.releaseToken);
        const post = POST_ROUTES.includes(path);
        const r = await api(f.url, post ? 'POST' : 'GET', path, token, post ? '{}' : undefined);
        expect(r.status, `${path} token=${token}`).toBe(401);
      }),
      { numRuns: RUNS },
    );
  });

  it('bodies over 1 MiB are 413, declared or not', async () => {
    for (const size of [1024 * 1024 + 1, 3 * 1024 * 1024]) {
      for (const path of ['/killswitch', '/halt/level', '/status']) {
        const r = await api(f.url, 'POST', path, f.file.token, '{"reason":"' + 'x'.repeat(size) + '"}');
        expect(r.status, `${path} ${size}`).toBe(413);
        expect(r.body.error).toMatch(/^killdrill: .*1 MiB/);
      }
    }
    // Chunked (no content-length): the limit is enforced while reading.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(128 * 1024)));
        c.close();
      },
    });
    const res = await fetch(f.url + '/killswitch', { method: 'POST', headers: { authorization: `Bearer ${f.file.token}`, 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('raw garbage on the socket is answered or dropped; the broker keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        await new Promise<void>((resolve) => {
          const s = connect(f.file.ports.broker, '127.0.0.1', () => s.end(Buffer.from(bytes)));
          s.on('data', () => {});
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          s.setTimeout(3000, () => s.destroy());
        });
      }),
      { numRuns: 30 },
    );
    expect(f.broker.alive()).toBe(true);
    const s = await api(f.url, 'GET', '/status', f.file.token);
    expect(s.status).toBe(200);
    expect(s.body.bootId).toBe(f.broker.ready.bootId);
    expect(s.body.haltLevel).toBe(0);
  });
});
