// Bad fault input is rejected before anything starts: `killdrill validate` and `killdrill run`
// exit 2 with the reason, and `run` starts no fleet (no run directory, no process of a run).
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { killdrill, scenarioFile } from './faults-helpers.ts';

const BASE = `name: bad-fault
description: A scenario with one bad fault.
fleet: { preset: principal, bots: 6 }
load: { warmup: 2s, duration: 20s }
kill: { at: 3s, path: rest, scope: platform, target: platform }
faults:
`;

const CASES: Array<{ what: string; fault: string; reason: RegExp }> = [
  { what: 'unknown fault kind', fault: '{ at: 1s, kind: meteor-strike }', reason: /faults\[0\]\.kind: unknown kind; use one of process-kill, .*partition/ },
  { what: 'negative latency', fault: '{ at: 1s, kind: link-latency, params: { link: gateway-venue, latencyMs: -5 } }', reason: /faults\[0\]\.params\.latencyMs: Too small: expected number to be >=0/ },
  { what: 'latency that is not a number', fault: '{ at: 1s, kind: link-latency, params: { link: gateway-venue, latencyMs: lots } }', reason: /faults\[0\]\.params\.latencyMs: expected number/ },
  { what: 'unknown toxic attribute', fault: '{ at: 1s, kind: link-latency, params: { link: gateway-venue, latencyMs: 5, burst: 3 } }', reason: /faults\[0\]\.params\.burst: unknown field 'burst'/ },
  { what: 'unknown pub/sub drop form', fault: '{ at: 1s, kind: pubsub-drop, params: { form: loud } }', reason: /faults\[0\]\.params\.form: .*"silent"\|"channel"/ },
  { what: 'operator-down on a fleet without an operator', fault: '{ at: 1s, kind: operator-down }', reason: /faults\[0\]: fault 'operator-down' cannot be injected into this principal fleet: this fleet has no 'operator' component/ },
  { what: 'process-kill of a daemon the fleet lacks', fault: '{ at: 1s, kind: process-kill, params: { target: market-making-a } }', reason: /'target: market-making-a' is not a component of this fleet; it has .*foresight/ },
  { what: 'link-down of a link the fleet lacks', fault: '{ at: 1s, kind: link-down, params: { link: bots-redis-sub.node-a } }', reason: /this fleet has no link 'bots-redis-sub.node-a'; its links are .*bots-redis-sub.knox/ },
  { what: 'partition of a host the fleet lacks', fault: '{ at: 1s, kind: partition, params: { host: node-z } }', reason: /no links for host 'node-z'/ },
  { what: 'pubsub-drop on a host the fleet lacks', fault: '{ at: 1s, kind: pubsub-drop, params: { host: node-a } }', reason: /no subscriber link for host 'node-a'/ },
];

describe('bad fault input: exit 2 before the run starts', () => {
  for (const c of CASES) {
    it(`${c.what}: validate and run exit 2 with the reason, and no fleet starts`, { timeout: 60_000 }, async () => {
      const { file, outDir } = scenarioFile('bad-fault', `${BASE}  - ${c.fault}\n`);
      const v = killdrill(['validate', file]);
      expect(await v.code).toBe(2);
      expect(v.err()).toMatch(c.reason);
      expect(v.err()).toMatch(/^killdrill: /m);
      const r = killdrill(['run', file, '--out', outDir]);
      expect(await r.code).toBe(2);
      expect(r.err()).toMatch(c.reason);
      expect(r.err()).toMatch(/nothing was run/);
      expect(existsSync(join(outDir, 'runs'))).toBe(false);
    });
  }

  it('the same faults aimed at what the alphaswarm fleet has are valid', { timeout: 60_000 }, async () => {
    const good = BASE.replace('preset: principal, bots: 6', 'preset: alphaswarm, bots: 8');
    const { file } = scenarioFile(
      'good-fault',
      `${good}  - { at: 1s, kind: operator-down }\n  - { at: 1s, kind: process-kill, params: { target: market-making-a } }\n  - { at: 1s, kind: link-down, params: { link: bots-redis-sub.node-a } }\n  - { at: 1s, kind: partition, params: { host: node-b } }\n  - { at: 1s, kind: pubsub-drop, params: { host: node-a, form: channel } }\n`,
    );
    const v = killdrill(['validate', file]);
    expect(await v.code, v.err()).toBe(0);
    expect(v.out()).toMatch(/^ok .*good-fault\.yaml/m);
  });
});
