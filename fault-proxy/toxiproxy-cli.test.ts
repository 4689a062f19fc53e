// The official Go client, as its CLI (`toxiproxy-cli` v2.8.0 from PATH; CI puts ../shared/bin
// there), drives killdrill's proxy: create, toggle, toxic add/update/remove, delete; the
// proxy's state is read back over the API after each, and data is sent through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { startProxyServer, type ProxyServerHandle } from './index.ts';
import { requireOnPath } from './real-toxiproxy.ts';
import { connectTo, firstData, listenPort, startEcho, type TcpServer } from './test-helpers.ts';

let server: ProxyServerHandle;
let echo: TcpServer;
let cliPath: string;

interface CliResult {
  code: number;
  out: string;
}

/** Runs the real binary (asynchronously: the proxy answering it runs in this process). */
function cli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(cliPath, ['--host', server.url, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

async function state(name: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/proxies/${name}`);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function echoes(port: number): Promise<string> {
  const s = await connectTo(port);
  try {
    s.write('ping');
    return (await firstData(s, 5000)).data.toString();
  } finally {
    s.destroy();
  }
}

beforeAll(async () => {
  cliPath = requireOnPath('toxiproxy-cli');
  server = await startProxyServer();
  echo = await startEcho();
});
afterAll(async () => {
  await server?.close();
  await echo?.close();
});

describe('toxiproxy-cli against killdrill proxy', () => {
  it('create, toggle twice, toxic add/update/remove, delete: each changes the state as asked', async () => {
    const upstream = `127.0.0.1:${echo.port}`;
    const created = await cli('create', '--listen', '127.0.0.1:0', '--upstream', upstream, 'cli1');
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toMatch(/Created new proxy cli1/);
    const after = await state('cli1');
    expect(after).toMatchObject({ status: 200, json: { name: 'cli1', upstream, enabled: true, toxics: [] } });
    const port = listenPort(String(after.json.listen));
    expect(await echoes(port)).toBe('ping');

    // toggle: the Go client sends the whole proxy back, `toxics` field included.
    expect((await cli('toggle', 'cli1')).code).toBe(0);
    expect((await state('cli1')).json.enabled).toBe(false);
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await cli('toggle', 'cli1')).code).toBe(0);
    expect((await state('cli1')).json).toMatchObject({ enabled: true, listen: after.json.listen });
    expect(await echoes(port)).toBe('ping');

    const added = await cli('toxic', 'add', '--toxicName', 'slow', '--type', 'latency', '--attribute', 'latency=40', '--upstream', 'cli1');
    expect(added).toMatchObject({ code: 0 });
    expect((await state('cli1')).json.toxics).toEqual([
      { attributes: { latency: 40, jitter: 0 }, name: 'slow', type: 'latency', stream: 'upstream', toxicity: 1 },
    ]);
    const t0 = performance.now();
    expect(await echoes(port)).toBe('ping');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40);

    expect((await cli('toxic', 'update', '--toxicName', 'slow', '--toxicity', '0.5', '--attribute', 'jitter=5', 'cli1')).code).toBe(0);
    expect((await state('cli1')).json.toxics).toEqual([
      { attributes: { latency: 40, jitter: 5 }, name: 'slow', type: 'latency', stream: 'upstream', toxicity: 0.5 },
    ]);

    expect((await cli('toxic', 'remove', '--toxicName', 'slow', 'cli1')).code).toBe(0);
    expect((await state('cli1')).json.toxics).toEqual([]);

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    const row = listed.out.split('\n').find((line) => line.startsWith('cli1\t'));
    expect(row?.trim().split('\t')).toEqual(['cli1', after.json.listen, upstream, 'enabled', '0']);

    expect((await cli('delete', 'cli1')).code).toBe(0);
    expect((await state('cli1')).status).toBe(404);
    await expect(connectTo(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it("reports the proxy's errors: duplicate create, unknown proxy, unknown toxic type", async () => {
    const upstream = `127.0.0.1:${echo.port}`;
    expect((await cli('create', '-l', '127.0.0.1:0', '-u', upstream, 'cli2')).code).toBe(0);
    const dup = await cli('create', '-l', '127.0.0.1:0', '-u', upstream, 'cli2');
    expect(dup.out).toMatch(/proxy already exists/);
    const missing = await cli('toggle', 'nope');
    expect(missing.out).toMatch(/proxy not found/);
    const badType = await cli('toxic', 'add', '-t', 'nope', 'cli2');
    expect(badType.out).toMatch(/invalid toxic type/);
    expect((await state('cli2')).json.toxics).toEqual([]);
    expect((await cli('delete', 'cli2')).code).toBe(0);
  });
});
