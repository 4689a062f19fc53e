// Raw-HTTP conformance: status codes, error bodies, loopback rules, robustness (fast-check).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROXY_MODULE_PATH, startProxyServer, type ProxyServerHandle } from './index.ts';
import { connectTo, listenPort, readAll, startEcho, type TcpServer } from './test-helpers.ts';

let server: ProxyServerHandle;
let echo: TcpServer;
let upstream: string;

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const init: RequestInit = { method };
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json: json as Record<string, unknown>, text, contentType: res.headers.get('content-type') };
}

beforeAll(async () => {
  server = await startProxyServer();
  echo = await startEcho();
  upstream = `127.0.0.1:${echo.port}`;
});
afterAll(async () => {
  await server?.close();
  await echo?.close();
});
beforeEach(async () => {
  const all = (await call('GET', '/proxies')).json;
  for (const name of Object.keys(all)) await call('DELETE', `/proxies/${encodeURIComponent(name)}`);
});

describe('status codes and bodies', () => {
  it('creates with 201 and the proxy shape, duplicate 409, delete 204, missing 404', async () => {
    const created = await call('POST', '/proxies', { name: 'p', listen: 'localhost:0', upstream });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'p', upstream, enabled: true, toxics: [] });
    expect(created.json.listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect(await call('POST', '/proxies', { name: 'p', upstream })).toMatchObject({
      status: 409,
      json: { error: 'proxy already exists', status: 409 },
    });
    expect((await call('DELETE', '/proxies/p')).status).toBe(204);
    expect(await call('GET', '/proxies/p')).toMatchObject({ status: 404, json: { error: 'proxy not found', status: 404 } });
    expect(await call('DELETE', '/proxies/p')).toMatchObject({ status: 404 });
  });

  it('reports missing fields and bad bodies like Toxiproxy', async () => {
    expect(await call('POST', '/proxies', { upstream })).toMatchObject({
      status: 400,
      json: { error: 'missing required field: name', status: 400 },
    });
    expect(await call('POST', '/proxies', { name: 'x' })).toMatchObject({
      status: 400,
      json: { error: 'missing required field: upstream', status: 400 },
    });
    const bad = await call('POST', '/proxies', undefined, '{"name": ');
    expect(bad).toMatchObject({ status: 400, json: { error: 'bad request body: unexpected EOF', status: 400 } });
    // Errors are JSON text sent as text/plain, newline-terminated (Go's http.Error), as Toxiproxy sends them.
    expect(bad.contentType).toBe('text/plain; charset=utf-8');
    expect(bad.text.endsWith('}\n')).toBe(true);
    expect(await call('POST', '/proxies', undefined, '')).toMatchObject({ json: { error: 'bad request body: EOF' } });
    expect(await call('POST', '/proxies', undefined, '{"name" 1}')).toMatchObject({
      json: { error: "bad request body: invalid character '1' after object key" },
    });
    expect(await call('POST', '/proxies', { name: 'x', upstream, enabled: 'yes' })).toMatchObject({
      status: 400,
      json: { error: 'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool' },
    });
    // As Toxiproxy: unknown fields (the Go client's `toxics` too) are ignored, names match in any case,
    // and what follows the first JSON value is ignored.
    const lenient = await call('POST', '/proxies', undefined, `{"NAME":"x","Upstream":"${upstream}","color":"red","toxics":[{"type":"latency"}]} trailing`);
    expect(lenient).toMatchObject({ status: 201, json: { name: 'x', upstream, toxics: [] } });
  });

  it('refuses non-loopback listen and upstream with a 400 that says why', async () => {
    for (const body of [
      { name: 'x', listen: '0.0.0.0:0', upstream },
      { name: 'x', listen: '192.168.1.1:0', upstream },
      { name: 'x', upstream: 'example.com:80' },
      { name: 'x', upstream: '10.1.2.3:6379' },
      { name: 'x', upstream: '127.0.0.1' },
    ]) {
      const res = await call('POST', '/proxies', body);
      expect(res.status).toBe(400);
      expect(String(res.json.error)).toMatch(/^killdrill: /);
    }
    expect(Object.keys((await call('GET', '/proxies')).json)).toEqual([]);
  });

  it('handles toxics: default name, 200 on create, 409, 404, invalid type and stream, 204 on delete', async () => {
    await call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    const t = await call('POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 10 } });
    expect(t).toMatchObject({
      status: 200,
      json: { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 10, jitter: 0 } },
    });
    expect((await call('POST', '/proxies/p/toxics', { type: 'latency' })).json).toEqual({
      error: 'toxic already exists',
      status: 409,
    });
    expect((await call('POST', '/proxies/p/toxics', { type: 'bogus' })).json).toEqual({
      error: 'invalid toxic type',
      status: 400,
    });
    expect((await call('POST', '/proxies/p/toxics', { type: 'latency', stream: 'both' })).json).toEqual({
      error: 'stream was invalid, can be either upstream or downstream',
      status: 400,
    });
    expect((await call('POST', '/proxies/p/toxics', { type: 'latency', name: 'u', attributes: { latency: 'x' } })).json).toEqual({
      error: 'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64',
      status: 400,
    });
    expect((await call('POST', '/proxies/p/toxics', { type: 'latency', name: 'u', attributes: { latency: 1.5 } })).json).toMatchObject({
      error: 'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64',
    });
    // Toxiproxy accepts unknown attributes (ignored), negative values and any toxicity.
    const lax = await call('POST', '/proxies/p/toxics', { type: 'latency', name: 'u', toxicity: 2, attributes: { speed: 1, latency: -3 } });
    expect(lax).toMatchObject({ status: 200, json: { toxicity: 2, attributes: { latency: -3, jitter: 0 } } });
    expect((await call('DELETE', '/proxies/p/toxics/u')).status).toBe(204);
    // The stream keeps the client's spelling (as Toxiproxy), and still picks the direction.
    const caps = await call('POST', '/proxies/p/toxics', { type: 'noop', stream: 'UPSTREAM' });
    expect(caps.json).toMatchObject({ name: 'noop_UPSTREAM', stream: 'UPSTREAM' });
    expect((await call('DELETE', '/proxies/p/toxics/noop_UPSTREAM')).status).toBe(204);
    const up = await call('POST', '/proxies/p/toxics', { type: 'bandwidth', stream: 'upstream', attributes: { rate: 5 } });
    expect(up.json.name).toBe('bandwidth_upstream');
    const list = await call('GET', '/proxies/p/toxics');
    expect((list.json as unknown as { name: string }[]).map((x) => x.name)).toEqual(['bandwidth_upstream', 'latency_downstream']);
    const patched = await call('PATCH', '/proxies/p/toxics/latency_downstream', { attributes: { jitter: 3 } });
    expect(patched.json).toMatchObject({ attributes: { latency: 10, jitter: 3 }, toxicity: 1 });
    expect((await call('GET', '/proxies/p/toxics/nope')).json).toEqual({ error: 'toxic not found', status: 404 });
    expect((await call('POST', '/proxies/p/toxics/nope', { toxicity: 1 })).status).toBe(404);
    expect((await call('DELETE', '/proxies/p/toxics/latency_downstream')).status).toBe(204);
    expect((await call('DELETE', '/proxies/p/toxics/latency_downstream')).status).toBe(404);
    expect((await call('GET', '/proxies/missing/toxics')).status).toBe(404);
  });

  it('populate: 201 with proxies, null for nothing, 400 before applying anything on bad input', async () => {
    const ok = await call('POST', '/populate', [{ name: 'a', listen: '127.0.0.1:0', upstream }]);
    expect(ok.status).toBe(201);
    expect((ok.json.proxies as unknown[]).length).toBe(1);
    expect(await call('POST', '/populate', [])).toMatchObject({ status: 201, json: { proxies: null } });
    const bad = await call('POST', '/populate', [
      { name: 'b', listen: '127.0.0.1:0', upstream },
      { name: 'c', upstream: '8.8.8.8:53' },
    ]);
    expect(bad.status).toBe(400);
    expect(Object.keys((await call('GET', '/proxies')).json)).toEqual(['a']);
    expect(await call('POST', '/populate', { name: 'a' })).toMatchObject({ status: 400, json: { status: 400, proxies: null } });
  });

  it('answers unknown paths 404, wrong methods 405, huge bodies 413, browsers 403', async () => {
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, text: '404 page not found\n' });
    expect((await call('GET', '/proxies/a/b/c/d')).status).toBe(404);
    expect(await call('PUT', '/proxies')).toMatchObject({ status: 405, text: '' });
    expect((await call('DELETE', '/version')).status).toBe(405);
    const small = await startProxyServer({ maxBodyBytes: 1000 });
    try {
      const huge = await fetch(`${small.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(2000) }) });
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: string }).error).toMatch(/^killdrill: request body over 1000 bytes/);
    } finally {
      await small.close();
    }
    const browser = await fetch(`${server.url}/proxies`, { headers: { 'User-Agent': 'Mozilla/5.0' } });
    expect(browser.status).toBe(403);
    expect((await call('GET', '/version')).json).toEqual({ version: '2.12.0' });
  });

  it('enabled:false refuses connections and cuts existing ones; re-enable listens on the same address', async () => {
    const created = await call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream });
    const listen = String(created.json.listen);
    const port = listenPort(listen);
    const s = await connectTo(port);
    const reading = readAll(s, 3000);
    s.write('x');
    const off = await call('POST', '/proxies/p', { enabled: false });
    expect(off.json).toMatchObject({ enabled: false, listen });
    const r = await reading;
    expect(r.ending).not.toBe('open');
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const on = await call('PATCH', '/proxies/p', { enabled: true });
    expect(on.json).toMatchObject({ enabled: true, listen });
    const again = await connectTo(port);
    again.destroy();
  });
});

describe('update without a change of address (Toxiproxy 2.12)', () => {
  it('listen localhost:P on a proxy at 127.0.0.1:P keeps it and its live connections; another port restarts it', async () => {
    const created = await call('POST', '/proxies', { name: 'same', listen: '127.0.0.1:0', upstream });
    const listen = String(created.json.listen);
    const s = await connectTo(listenPort(listen));
    const reading = readAll(s, 500);
    const same = await call('PATCH', '/proxies/same', { listen: listen.replace('127.0.0.1', 'localhost') });
    expect(same).toMatchObject({ status: 200, json: { listen, enabled: true } });
    s.write('still');
    const r = await reading;
    expect(r.data.toString()).toBe('still');
    expect(r.ending).toBe('open');
    const moved = await call('PATCH', '/proxies/same', { listen: '127.0.0.1:0' });
    expect(moved.status).toBe(200);
    expect(moved.json.listen).not.toBe(listen);
    s.destroy();
  });
});

describe('robustness', () => {
  it('never crashes and answers 4xx on arbitrary bodies (fast-check)', async () => {
    await call('POST', '/proxies', { name: 'f', listen: '127.0.0.1:0', upstream });
    const paths = ['/proxies', '/populate', '/proxies/f', '/proxies/f/toxics', '/reset'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.string(), fc.json(), fc.anything().map((v) => JSON.stringify(v) ?? 'null')),
        async (path, raw) => {
          const res = await call('POST', path, undefined, raw);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 300) expect(res.json).toMatchObject({ status: res.status });
          // The server keeps answering.
          expect((await call('GET', '/version')).status).toBe(200);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('robustness of toxic bodies', () => {
  it('answers 200 or 4xx to structured random toxic bodies and stays consistent (fast-check)', async () => {
    await call('POST', '/proxies', { name: 'g', listen: '127.0.0.1:0', upstream });
    const types = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'noop', 'redis_channel_drop', 'bogus'];
    const attrNames = ['latency', 'jitter', 'rate', 'delay', 'timeout', 'average_size', 'size_variation', 'bytes', 'channel', 'zzz'];
    const value = fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double(), fc.string(), fc.constant(null), fc.boolean());
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            type: fc.constantFrom(...types),
            stream: fc.constantFrom('upstream', 'downstream', 'UPSTREAM', 'x'),
            toxicity: fc.oneof(fc.double({ min: -1, max: 2 }), fc.constant(1)),
            attributes: fc.dictionary(fc.constantFrom(...attrNames), value, { maxKeys: 3 }),
          },
          { requiredKeys: ['type'] },
        ),
        async (toxic) => {
          const name = `t${++n}`;
          const res = await call('POST', '/proxies/g/toxics', { ...toxic, name });
          expect([200, 400]).toContain(res.status);
          if (res.status === 200) {
            expect((await call('GET', `/proxies/g/toxics/${name}`)).json).toEqual(res.json);
            const upd = await call('PATCH', `/proxies/g/toxics/${name}`, { attributes: toxic.attributes });
            expect([200, 400]).toContain(upd.status);
            expect((await call('DELETE', `/proxies/g/toxics/${name}`)).status).toBe(204);
          } else {
            expect(res.json).toMatchObject({ status: 400 });
            expect((await call('GET', `/proxies/g/toxics/${name}`)).status).toBe(404);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('as its own process', () => {
  it('prints one ready line with --json and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [PROXY_MODULE_PATH, '--json', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const ready = JSON.parse(line) as { ready: boolean; url: string };
      expect(ready.ready).toBe(true);
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const v = await fetch(`${ready.url}/version`);
      expect(v.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
