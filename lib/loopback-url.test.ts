// The external Toxiproxy URL rule: loopback http with a port, nothing else.
import { describe, expect, it } from 'vitest';
import { loopbackUrlProblem } from './loopback-url.ts';

describe('loopbackUrlProblem', () => {
  it('accepts loopback http URLs with a port', () => {
    for (const u of ['http://127.0.0.1:8474', 'http://localhost:8474/', 'http://[::1]:8474', 'http://127.1.2.3:1']) expect(loopbackUrlProblem(u)).toBeNull();
  });
  it('refuses, saying why: no URL, https, another host, no port, credentials, a path', () => {
    expect(loopbackUrlProblem('toxiproxy:8474')).toMatch(/not accepted|not a URL/);
    expect(loopbackUrlProblem('nonsense')).toMatch(/is not a URL/);
    expect(loopbackUrlProblem('https://127.0.0.1:8474')).toMatch(/scheme 'https' is not accepted/);
    expect(loopbackUrlProblem('http://10.0.0.5:8474')).toMatch(/host '10.0.0.5' is not a loopback address/);
    expect(loopbackUrlProblem('http://toxiproxy.internal:8474')).toMatch(/not a loopback address/);
    expect(loopbackUrlProblem('http://127.0.0.1')).toMatch(/has no port/);
    expect(loopbackUrlProblem('http://u:p@127.0.0.1:8474')).toMatch(/credentials/);
    expect(loopbackUrlProblem('http://127.0.0.1:8474/proxies')).toMatch(/path, query or fragment/);
  });
});
