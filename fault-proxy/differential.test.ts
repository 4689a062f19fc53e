// Differential conformance: the same raw HTTP calls, in the same order, against killdrill's
// proxy and the real Toxiproxy (toxiproxy-server from PATH; CI puts ../shared/bin there),
// both on 127.0.0.1. Status, Content-Type and body must match after normalising ports and
// the version; the only differences allowed are the ones in INTENDED below (also listed in
// fault-proxy/README.md). Any other difference fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyServer, type ProxyServerHandle } from './index.ts';
import { startRealToxiproxy, type RealToxiproxy } from './real-toxiproxy.ts';
import { startEcho, type TcpServer } from './test-helpers.ts';

interface Step {
  name: string;
  method: string;
  path: string;
  /** A string is sent as is; anything else as JSON. `UP` in it becomes the upstream address. */
  body?: unknown;
}

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

/** Where killdrill differs on purpose. Each side must give what is written here. */
interface Intended {
  step: Step;
  why: string;
  killdrill: { status: number; error?: RegExp };
  toxiproxy: { status: number };
  /** Sent to both afterwards so the two states agree again (answers not compared). */
  cleanup: Step;
}

const UP = 'UP';
const p = (name: string, extra: Record<string, unknown> = {}) => ({ name, listen: '127.0.0.1:0', upstream: UP, ...extra });

const STEPS: Step[] = [
  { name: 'version', method: 'GET', path: '/version' },
  { name: 'list, empty', method: 'GET', path: '/proxies' },
  // Proxies: happy paths.
  { name: 'create', method: 'POST', path: '/proxies', body: p('p1') },
  { name: 'create with a toxics field (the Go client sends one)', method: 'POST', path: '/proxies', body: p('p2', { enabled: true, toxics: [{ type: 'latency', attributes: { latency: 5 } }] }) },
  { name: 'create with toxics null, unknown and capitalised fields, trailing bytes', method: 'POST', path: '/proxies', body: `{"NAME":"p3","Listen":"127.0.0.1:0","upstream":"${UP}","toxics":null,"color":"red"} trailing` },
  { name: 'create disabled', method: 'POST', path: '/proxies', body: p('p4', { enabled: false }) },
  { name: 'get', method: 'GET', path: '/proxies/p1' },
  { name: 'list', method: 'GET', path: '/proxies' },
  { name: 'update: disable (PATCH)', method: 'PATCH', path: '/proxies/p1', body: { enabled: false } },
  { name: 'update: enable (POST) with toxics', method: 'POST', path: '/proxies/p1', body: { enabled: true, toxics: [] } },
  { name: 'update: capitalised field, unknown field', method: 'PATCH', path: '/proxies/p4', body: { Enabled: true, color: 'x' } },
  { name: 'update: empty object', method: 'PATCH', path: '/proxies/p4', body: {} },
  // Proxies: errors.
  { name: 'duplicate proxy', method: 'POST', path: '/proxies', body: p('p1') },
  { name: 'unknown proxy: get', method: 'GET', path: '/proxies/nope' },
  { name: 'unknown proxy: update', method: 'PATCH', path: '/proxies/nope', body: { enabled: false } },
  { name: 'unknown proxy: delete', method: 'DELETE', path: '/proxies/nope' },
  { name: 'unknown proxy: toxics', method: 'GET', path: '/proxies/nope/toxics' },
  { name: 'unknown proxy: add toxic', method: 'POST', path: '/proxies/nope/toxics', body: { type: 'latency' } },
  { name: 'bad JSON: empty body', method: 'POST', path: '/proxies', body: '' },
  { name: 'bad JSON: only spaces', method: 'POST', path: '/proxies', body: '   ' },
  { name: 'bad JSON: truncated', method: 'POST', path: '/proxies', body: '{"name": ' },
  { name: 'bad JSON: unquoted key', method: 'POST', path: '/proxies', body: '{bad' },
  { name: 'bad JSON: trailing comma', method: 'POST', path: '/proxies', body: '{"name":"x",}' },
  { name: 'bad JSON: no colon', method: 'POST', path: '/proxies', body: '{"name" 1}' },
  { name: 'bad JSON: no comma', method: 'POST', path: '/proxies', body: '{"name":"x" "y"}' },
  { name: 'bad JSON: bad literal', method: 'POST', path: '/proxies', body: '{"name":tru}' },
  { name: 'bad JSON: bad escape', method: 'POST', path: '/proxies', body: '{"name":"\\q"}' },
  { name: 'bad JSON: bad \\u escape', method: 'POST', path: '/proxies', body: '{"name":"\\u00"}' },
  { name: 'bad JSON: bare minus', method: 'POST', path: '/proxies', body: '{"name":-}' },
  { name: 'bad JSON: decimal point', method: 'POST', path: '/proxies', body: '{"name":1.}' },
  { name: 'bad JSON: exponent', method: 'POST', path: '/proxies', body: '{"name":1e}' },
  { name: 'bad JSON: array element', method: 'POST', path: '/proxies', body: '[1,}' },
  { name: 'bad JSON: not JSON', method: 'POST', path: '/proxies', body: 'x' },
  { name: 'bad JSON: unterminated string', method: 'POST', path: '/proxies', body: '"abc' },
  { name: 'bad JSON: control character in a string', method: 'POST', path: '/proxies', body: '{"name":"\x01"}' },
  { name: 'bad JSON: a non-ASCII byte', method: 'POST', path: '/proxies', body: 'é' },
  { name: 'bad JSON: leading zero', method: 'POST', path: '/proxies', body: '{"name":01}' },
  { name: 'populate: wrong type in an element', method: 'POST', path: '/populate', body: [p('q6', { enabled: 'x' })] },
  { name: 'bad JSON on update', method: 'PATCH', path: '/proxies/p1', body: '{"enabled":' },
  { name: 'missing field: name', method: 'POST', path: '/proxies', body: { listen: '127.0.0.1:0', upstream: UP } },
  { name: 'missing field: empty name', method: 'POST', path: '/proxies', body: { name: '', upstream: UP } },
  { name: 'missing field: upstream', method: 'POST', path: '/proxies', body: { name: 'm' } },
  { name: 'wrong type: name', method: 'POST', path: '/proxies', body: { name: 5, upstream: UP } },
  { name: 'wrong type: enabled', method: 'POST', path: '/proxies', body: p('w', { enabled: 'yes' }) },
  { name: 'wrong type: array body', method: 'POST', path: '/proxies', body: [] },
  { name: 'wrong type on update', method: 'PATCH', path: '/proxies/p1', body: { enabled: 'yes' } },
  { name: 'wrong type on update: array body', method: 'PATCH', path: '/proxies/p1', body: [1] },
  // Toxics: happy paths.
  { name: 'add toxic, defaults', method: 'POST', path: '/proxies/p1/toxics', body: { type: 'latency', attributes: { latency: 10 } } },
  { name: 'add toxic, every field', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'up', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 20, jitter: 5 } } },
  { name: 'add toxic, capitalised names and stream', method: 'POST', path: '/proxies/p1/toxics', body: { TYPE: 'bandwidth', Stream: 'UPSTREAM', attributes: { RATE: 5 } } },
  { name: 'add toxic, float32 toxicity', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'f32', type: 'noop', toxicity: 0.123456789 } },
  { name: 'add toxic, negative attribute and toxicity over 1', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'neg', type: 'timeout', toxicity: 2, attributes: { timeout: -1 } } },
  { name: 'add toxic, unknown attribute ignored', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'extra', type: 'slow_close', attributes: { delay: 1, foo: 2 } } },
  { name: 'add toxic, slicer size_variation over average_size', method: 'POST', path: '/proxies/p1/toxics', body: { type: 'slicer', attributes: { average_size: 1, size_variation: 5, delay: 10 } } },
  { name: 'add toxic, null attributes and toxicity', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'nulls', type: 'limit_data', attributes: null, toxicity: null } },
  { name: 'add toxic, every other type', method: 'POST', path: '/proxies/p2/toxics', body: { type: 'reset_peer', attributes: { timeout: 100 } } },
  { name: 'list toxics', method: 'GET', path: '/proxies/p1/toxics' },
  { name: 'get toxic', method: 'GET', path: '/proxies/p1/toxics/latency_downstream' },
  { name: 'get proxy with toxics', method: 'GET', path: '/proxies/p1' },
  { name: 'update toxic (PATCH)', method: 'PATCH', path: '/proxies/p1/toxics/latency_downstream', body: { attributes: { jitter: 3 }, toxicity: 0.25 } },
  { name: 'update toxic (POST), whole toxic sent back', method: 'POST', path: '/proxies/p1/toxics/up', body: { name: 'other', type: 'bandwidth', stream: 'downstream', toxicity: 1, attributes: { latency: 30 } } },
  { name: 'update toxic, nulls keep values', method: 'PATCH', path: '/proxies/p1/toxics/up', body: { attributes: null, toxicity: null } },
  { name: 'remove toxic', method: 'DELETE', path: '/proxies/p1/toxics/extra' },
  // Toxics: errors.
  { name: 'duplicate toxic', method: 'POST', path: '/proxies/p1/toxics', body: { type: 'latency' } },
  { name: 'duplicate toxic by name', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'up', type: 'noop' } },
  { name: 'unknown toxic type', method: 'POST', path: '/proxies/p1/toxics', body: { type: 'nope' } },
  { name: 'missing toxic type', method: 'POST', path: '/proxies/p1/toxics', body: {} },
  { name: 'toxic type in another case', method: 'POST', path: '/proxies/p1/toxics', body: { type: 'LATENCY', name: 'L' } },
  { name: 'invalid stream', method: 'POST', path: '/proxies/p1/toxics', body: { type: 'latency', stream: 'sideways' } },
  { name: 'bad attributes: string for int', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'b1', type: 'latency', attributes: { latency: 'x' } } },
  { name: 'bad attributes: fraction for int', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'b2', type: 'latency', attributes: { latency: 1.5 } } },
  { name: 'bad attributes: exponent for int', method: 'POST', path: '/proxies/p1/toxics', body: '{"name":"b3","type":"latency","attributes":{"latency":1e3}}' },
  { name: 'bad attributes: 1.0 for int', method: 'POST', path: '/proxies/p1/toxics', body: '{"name":"b4","type":"bandwidth","attributes":{"rate":1.0}}' },
  { name: 'bad attributes: slicer int', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'b5', type: 'slicer', attributes: { average_size: true } } },
  { name: 'bad attributes: not an object', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'b6', type: 'latency', attributes: 5 } },
  { name: 'bad toxicity: string', method: 'POST', path: '/proxies/p1/toxics', body: { name: 'b7', type: 'latency', toxicity: 'x' } },
  { name: 'bad toxicity: over float32', method: 'POST', path: '/proxies/p1/toxics', body: '{"name":"b8","type":"latency","toxicity":1e50}' },
  { name: 'bad toxic: type not a string', method: 'POST', path: '/proxies/p1/toxics', body: { type: 5 } },
  { name: 'bad toxic: array body', method: 'POST', path: '/proxies/p1/toxics', body: [] },
  { name: 'bad toxic: bad JSON', method: 'POST', path: '/proxies/p1/toxics', body: '{"type":"latency"' },
  { name: 'unknown toxic: get', method: 'GET', path: '/proxies/p1/toxics/nope' },
  { name: 'unknown toxic: update', method: 'PATCH', path: '/proxies/p1/toxics/nope', body: {} },
  { name: 'unknown toxic: remove', method: 'DELETE', path: '/proxies/p1/toxics/extra' },
  { name: 'update toxic: bad attribute', method: 'PATCH', path: '/proxies/p1/toxics/latency_downstream', body: { attributes: { latency: 'x' } } },
  { name: 'update toxic: attributes not an object', method: 'PATCH', path: '/proxies/p1/toxics/latency_downstream', body: { attributes: [1] } },
  { name: 'update toxic: bad toxicity', method: 'PATCH', path: '/proxies/p1/toxics/latency_downstream', body: { toxicity: 'x' } },
  { name: 'update toxic: array body', method: 'PATCH', path: '/proxies/p1/toxics/latency_downstream', body: [] },
  { name: 'update toxic: bad JSON', method: 'PATCH', path: '/proxies/p1/toxics/latency_downstream', body: '{' },
  // Populate.
  { name: 'populate', method: 'POST', path: '/populate', body: [p('q1'), p('q2', { enabled: false })] },
  { name: 'populate: same again keeps them', method: 'POST', path: '/populate', body: [p('q2', { enabled: false })] },
  { name: 'populate: a duplicate name inside one call, with toxics fields', method: 'POST', path: '/populate', body: [p('q7', { toxics: [] }), p('q7', { toxics: null })] },
  { name: 'populate: empty list', method: 'POST', path: '/populate', body: [] },
  { name: 'populate: null', method: 'POST', path: '/populate', body: 'null' },
  { name: 'populate: an object', method: 'POST', path: '/populate', body: { name: 'q3' } },
  { name: 'populate: missing name', method: 'POST', path: '/populate', body: [{ upstream: UP }] },
  { name: 'populate: missing upstream of the second', method: 'POST', path: '/populate', body: [p('q4'), { name: 'q5' }] },
  // Routing.
  { name: 'unknown path', method: 'GET', path: '/nope' },
  { name: 'trailing slash', method: 'GET', path: '/proxies/p1/' },
  { name: 'too deep', method: 'GET', path: '/proxies/p1/toxics/a/b' },
  { name: 'method not allowed', method: 'PUT', path: '/proxies' },
  { name: 'method not allowed on version', method: 'DELETE', path: '/version' },
  // Reset and delete.
  { name: 'reset', method: 'POST', path: '/reset' },
  { name: 'after reset: enabled, no toxics', method: 'GET', path: '/proxies' },
  { name: 'delete', method: 'DELETE', path: '/proxies/p1' },
  { name: 'delete again', method: 'DELETE', path: '/proxies/p1' },
  { name: 'list at the end', method: 'GET', path: '/proxies' },
];

const INTENDED: Intended[] = [
  {
    step: { name: 'redis_channel_drop toxic', method: 'POST', path: '/proxies/p2/toxics', body: { type: 'redis_channel_drop', attributes: { channel: 'c' } } },
    why: "killdrill's extension toxic; Toxiproxy does not know the type",
    killdrill: { status: 200 },
    toxiproxy: { status: 400 },
    cleanup: { name: 'cleanup', method: 'DELETE', path: '/proxies/p2/toxics/redis_channel_drop_downstream' },
  },
  {
    step: { name: 'upstream off loopback', method: 'POST', path: '/proxies', body: { name: 'far', listen: '127.0.0.1:0', upstream: '10.1.2.3:6379', enabled: false } },
    why: 'address policy: killdrill only connects to 127.0.0.1 (or its own run network)',
    killdrill: { status: 400, error: /^killdrill: upstream "10\.1\.2\.3:6379" is not on 127\.0\.0\.1/ },
    toxiproxy: { status: 201 },
    cleanup: { name: 'cleanup', method: 'DELETE', path: '/proxies/far' },
  },
  {
    step: { name: 'upstream without a port', method: 'POST', path: '/proxies', body: { name: 'noport', listen: '127.0.0.1:0', upstream: 'localhost', enabled: false } },
    why: 'address policy: an upstream is checked when given (Toxiproxy only fails when it dials)',
    killdrill: { status: 400, error: /^killdrill: upstream "localhost" has no port/ },
    toxiproxy: { status: 201 },
    cleanup: { name: 'cleanup', method: 'DELETE', path: '/proxies/noport' },
  },
];

let killdrill: ProxyServerHandle;
let toxiproxy: RealToxiproxy;
let echo: TcpServer;

function bodyText(step: Step): string | undefined {
  if (step.body === undefined) return undefined;
  const text = typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
  return text.replaceAll(`"${UP}"`, `"127.0.0.1:${echo.port}"`);
}

/** Ports become PORT, the version VERSION; Toxiproxy 2.8.0's stray "Logger":{} (gone in 2.12) is dropped. */
function normalise(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Logger') continue;
      out[k] = k === 'version' ? 'VERSION' : normalise(v);
    }
    return out;
  }
  return value;
}

async function send(base: string, step: Step): Promise<Answer> {
  const res = await fetch(`${base}${step.path}`, { method: step.method, body: bodyText(step) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: res.status, contentType: res.headers.get('content-type'), body: normalise(body) };
}

beforeAll(async () => {
  echo = await startEcho();
  killdrill = await startProxyServer();
  toxiproxy = await startRealToxiproxy();
});
afterAll(async () => {
  await killdrill?.close();
  await toxiproxy?.close();
  await echo?.close();
});

describe('killdrill proxy vs the real Toxiproxy, same calls in the same order', () => {
  for (const step of STEPS) {
    it(`${step.method} ${step.path}: ${step.name}`, async () => {
      const [k, t] = await Promise.all([send(killdrill.url, step), send(toxiproxy.url, step)]);
      expect(k).toEqual(t);
    });
  }

  describe('intended differences', () => {
    for (const d of INTENDED) {
      it(`${d.step.name} (${d.why})`, async () => {
        const [k, t] = await Promise.all([send(killdrill.url, d.step), send(toxiproxy.url, d.step)]);
        await Promise.all([send(killdrill.url, d.cleanup), send(toxiproxy.url, d.cleanup)]);
        expect(t.status).toBe(d.toxiproxy.status);
        expect(k.status).toBe(d.killdrill.status);
        if (d.killdrill.error) expect((k.body as { error: string }).error).toMatch(d.killdrill.error);
        // Errors keep Toxiproxy's shape and Content-Type even where the outcome differs.
        if (k.status >= 400) expect(k).toMatchObject({ contentType: 'text/plain; charset=utf-8', body: { status: k.status } });
      });
    }

    it('afterwards both hold the same proxies', async () => {
      const step: Step = { name: 'list', method: 'GET', path: '/proxies' };
      const [k, t] = await Promise.all([send(killdrill.url, step), send(toxiproxy.url, step)]);
      expect(k).toEqual(t);
    });
  });
});
