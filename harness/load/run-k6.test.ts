// startK6 with the real k6 against a local HTTP server (no fleet): load ops a second while it runs,
// stopped by the harness or ending by itself, the thresholds it crossed read from its summary export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findK6 } from './find-k6.ts';
import { startK6 } from './run-k6.ts';
import { LOAD_DIR } from './scripts.ts';

let server: Server;
let url = '';
let auth = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    auth.add(String(req.headers.authorization));
    res.setHeader('content-type', 'application/json');
    res.end(req.url?.startsWith('/audit') ? '{"entries":[],"next":7}' : '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address() as { port: number };
  url = `http://127.0.0.1:${a.port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const k6 = () => {
  const f = findK6();
  if (!f) throw new Error('killdrill: these tests need k6 on the PATH (docs/load.md: install k6, or put ../shared/bin on the PATH)');
  return f;
};
const plan = (thresholds: Record<string, string[]> = {}) => ({ script: 'broker-ui', scriptPath: join(LOAD_DIR, 'broker-ui.ts'), profile: { kind: 'constant' as const, rate: 20 }, thresholds });

describe('startK6 (real k6)', () => {
  it('records one load op a second at the rate, and a clean stop by the harness', { timeout: 60_000 }, async () => {
    const ops: Array<Record<string, unknown> & { type: string }> = [];
    const runDir = mkdtempSync(join(tmpdir(), 'kd-k6-'));
    auth = new Set();
    const run = await startK6({ plan: plan({ http_req_failed: ['rate<0.01'] }), k6: k6(), runDir, holdMs: 60_000, env: { BROKER_URL: url, BROKER_TOKEN: 'tok' }, emit: (o) => ops.push(o) });
    expect(await run.sending).toBe(true);
    await new Promise((r) => setTimeout(r, 4500));
    await run.stop();
    const seconds = ops.filter((o) => o.type === 'load');
    const full = seconds.filter((s) => s.spanMs === 1000).slice(1); // the first second may be k6's start
    expect(full.length).toBeGreaterThanOrEqual(2);
    for (const s of full) expect(s.requestsPerS, JSON.stringify(s)).toBeGreaterThanOrEqual(18);
    expect(ops.find((o) => o.type === 'load-end')).toMatchObject({ stoppedBy: 'harness', thresholdsCrossed: [] });
    expect(ops.find((o) => o.type === 'load-end')).not.toHaveProperty('error');
    expect([...auth]).toEqual(['Bearer tok']);
    expect(JSON.stringify(ops)).not.toContain('tok"');
    for (const f of ['k6.json', 'k6-summary.json', 'k6-script.js', 'k6.log']) expect(existsSync(join(runDir, f)), f).toBe(true);
    expect(() => process.kill(run.pid, 0)).toThrow();
  });

  it('a k6 that ends by itself with a threshold crossed: exit 99, the threshold named', { timeout: 60_000 }, async () => {
    const ops: Array<Record<string, unknown> & { type: string }> = [];
    const run = await startK6({ plan: plan({ http_req_duration: ['max<0'] }), k6: k6(), runDir: mkdtempSync(join(tmpdir(), 'kd-k6-')), holdMs: 2000, env: { BROKER_URL: url }, emit: (o) => ops.push(o) });
    expect(await run.sending).toBe(true);
    await new Promise<void>((r) => {
      const t = setInterval(() => run.exited() && (clearInterval(t), r()), 100);
    });
    await run.stop();
    expect(ops.find((o) => o.type === 'load-end')).toMatchObject({ stoppedBy: 'itself', exitCode: 99, thresholdsCrossed: ['http_req_duration: max<0'] });
  });
});
