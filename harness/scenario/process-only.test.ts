// What only the process runtime drills — seed 003's circuit breakers (the daemons read the venue's
// bars on 127.0.0.1) and the market-data faults (the venue's control file and a signal) — is refused
// on docker: at load (runtime: docker in the file), and by `run --runtime docker`, exit 2, nothing run.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioIssues } from './scenario-issues.ts';
import { parseScenarioText } from './index.ts';
import { runMainStub } from '../cli/run-main-stub.ts';

const BASE = `name: t
description: d
fleet:
  preset: alphaswarm
  overrides:
    breakers: { marketDataStaleMs: 1000 }
load:
  warmup: 3s
  duration: 40s
faults:
  - { at: 4s, kind: market-data-gap, params: { assets: [AAPL] }, heal: 6s }
kill:
  at: 12s
  path: rest
  scope: platform
  mode: cancel
expect:
  breaker-tripped: { breaker: market-data }
`;

describe('process-only drills on docker', () => {
  it('runtime: docker is refused at the breakers line and at the fault, saying why; process is valid', () => {
    expect(parseScenarioText(BASE, 'x.yaml').cases).toHaveLength(1);
    const issues = scenarioIssues(`${BASE}runtime: docker\n`);
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [11, 'faults[0].kind'],
      [6, 'fleet.overrides.breakers'],
    ]);
    expect(issues[0].message).toMatch(/market-data-gap drives the venue's market-data feed .* use runtime: process/);
    expect(issues[1].message).toMatch(/circuit breakers read the venue's market data and ledger on 127.0.0.1/);
    // Breakers off, no feed fault: docker is fine.
    expect(parseScenarioText(`${BASE.replace('marketDataStaleMs: 1000', 'marketDataStaleMs: 0').replace(/faults:\n.*\n/, 'faults: []\n').replace(/expect:\n.*\n/, '')}runtime: docker\n`, 'x.yaml').cases).toHaveLength(1);
  });

  it('killdrill run --runtime docker: exit 2 naming both, nothing runs; without the flag it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'killdrill-process-only-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, BASE);
    const go = runMainStub;
    const a = await go([file, '--runtime', 'docker']);
    expect([a.code, a.ran]).toEqual([2, 0]);
    expect(a.err).toEqual([
      expect.stringMatching(/^killdrill: .*s\.yaml \[default\] on docker: faults\.0\.kind: market-data-gap/),
      expect.stringMatching(/^killdrill: .*s\.yaml \[default\] on docker: fleet\.overrides\.breakers: /),
      'killdrill: nothing was started; fix the above',
    ]);
    const b = await go([file]);
    expect([b.code, b.ran]).toEqual([0, 1]);
  });
});
