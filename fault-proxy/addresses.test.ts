// The address policy: loopback only by default; a run's own network names only when the
// proxy was started with them (sim up --runtime docker), never an address or another name.
import { afterEach, describe, expect, it } from 'vitest';
import { networkPolicy, parseListen, parseUpstream } from './addresses.ts';
import { startProxyServer, type ProxyServerHandle } from './api-server.ts';

describe('address policy', () => {
  it('refuses every non-loopback host by default', () => {
    expect(parseUpstream('127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(parseUpstream('localhost:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(() => parseUpstream('redis:6379')).toThrow(/not on 127\.0\.0\.1/);
    expect(() => parseUpstream('10.0.0.1:6379')).toThrow(/not on 127\.0\.0\.1/);
    expect(() => parseListen('proxy:9000')).toThrow(/not on 127\.0\.0\.1/);
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
  });

  it('with a run network: exactly its names, bound on the policy host', () => {
    const p = networkPolicy('0.0.0.0', ['redis', 'proxy', 'supervisor-node-a']);
    expect(parseUpstream('redis:6379', p)).toEqual({ host: 'redis', port: 6379 });
    expect(parseUpstream('127.0.0.1:6379', p)).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(parseListen('proxy:9000', p)).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseListen('127.0.0.1:9000', p)).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(() => parseUpstream('venue:1', p)).toThrow(/not on 127\.0\.0\.1 or a container of this run's network \(redis, proxy, supervisor-node-a\)/);
    expect(() => parseUpstream('example.com:80', p)).toThrow(/killdrill: upstream/);
    expect(() => parseUpstream('172.17.0.2:80', p)).toThrow(/killdrill: upstream/);
  });

  it('a network policy takes names only, and binds 127.0.0.1 or 0.0.0.0', () => {
    expect(() => networkPolicy('0.0.0.0', ['10.1.2.3'])).toThrow(/killdrill: network name '10\.1\.2\.3' refused/);
    expect(() => networkPolicy('0.0.0.0', ['a:b'])).toThrow(/refused/);
    expect(() => networkPolicy('0.0.0.0', ['*'])).toThrow(/refused/);
    expect(() => networkPolicy('10.0.0.1', ['redis'])).toThrow(/killdrill: proxy bind host 10\.0\.0\.1 refused/);
  });
});

describe('API with and without a network policy', () => {
  let server: ProxyServerHandle | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const create = (url: string, listen: string, upstream: string) =>
    fetch(`${url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'l', listen, upstream, enabled: false }) });

  it('default server: a named upstream is a 400 naming the rule', async () => {
    server = await startProxyServer({ port: 0 });
    const res = await create(server.url, '127.0.0.1:0', 'redis:6379');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^killdrill: upstream "redis:6379" is not on 127\.0\.0\.1/);
  });

  it('server with the run network: its names are accepted and kept, others refused', async () => {
    server = await startProxyServer({ port: 0, network: networkPolicy('127.0.0.1', ['redis', 'proxy']) });
    const ok = await create(server.url, 'proxy:0', 'redis:6379');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ listen: 'proxy:0', upstream: 'redis:6379' });
    const bad = await fetch(`${server.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'm', listen: '127.0.0.1:0', upstream: 'db.example:5432' }) });
    expect(bad.status).toBe(400);
    await expect(startProxyServer({ host: '0.0.0.0' })).rejects.toThrow(/killdrill: proxy API host 0\.0\.0\.0 refused/);
  });
});
