// k6's json lines → one load op a second; rate profiles → k6 executors and targets; load.k6 input refused with file:line.
import { describe, expect, it } from 'vitest';
import { k6Seconds } from './k6-seconds.ts';
import { defaultVus, k6Scenario, targetRateAt } from './profile.ts';
import { parseScenarioText, ScenarioError } from '../scenario/index.ts';

const T0 = Date.parse('2026-12-02T20:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '123456Z'); // k6 writes nanoseconds
/** One request as k6 writes it: its duration and failed samples, stamped at its end. */
const req = (endMs: number, durationMs: number, failed = 0) => [
  JSON.stringify({ metric: 'http_reqs', type: 'Point', data: { time: iso(endMs), value: 1, tags: {} } }),
  JSON.stringify({ metric: 'http_req_duration', type: 'Point', data: { time: iso(endMs), value: durationMs, tags: {} } }),
  JSON.stringify({ metric: 'http_req_failed', type: 'Point', data: { time: iso(endMs), value: failed, tags: {} } }),
];

describe('k6Seconds', () => {
  it('counts each request in the second it was sent, with errors, p50/p99 and dropped iterations', () => {
    const s = k6Seconds(1500);
    const lines = [
      JSON.stringify({ type: 'Metric', data: { name: 'http_reqs' }, metric: 'http_reqs' }),
      ...req(T0 + 100, 10),
      ...req(T0 + 500, 20, 1),
      ...req(T0 + 1100, 300), // sent at T0 + 800: the first second's
      ...req(T0 + 1500, 5),
      JSON.stringify({ metric: 'dropped_iterations', type: 'Point', data: { time: iso(T0 + 1600), value: 2, tags: {} } }),
      'not json',
    ];
    for (const l of lines) s.line(l);
    expect(s.firstAt()).toBe(T0 + 90);
    expect(s.flush(T0 + 2400)).toEqual([]); // the first second may still get late samples
    const [first] = s.flush(T0 + 2600);
    expect(first).toMatchObject({ type: 'load', at: T0, spanMs: 1000, requests: 3, requestsPerS: 3, errors: 1, errorsPerS: 1, p50Ms: 20, p99Ms: 300, dropped: 0 });
    expect(s.unreadable()).toBe(1);
    const rest = s.end(T0 + 1750);
    expect(rest).toEqual([expect.objectContaining({ at: T0 + 1000, spanMs: 750, requests: 1, requestsPerS: 1.33, dropped: 2 })]);
  });

  it('emits a second with no request as zero (k6 stalled), and never emits a second twice', () => {
    const s = k6Seconds(0);
    for (const l of [...req(T0 + 100, 1), ...req(T0 + 2100, 1)]) s.line(l);
    const ops = s.flush(T0 + 3000);
    expect(ops.map((o) => [o.at - T0, o.requests])).toEqual([[0, 1], [1000, 0], [2000, 1]]);
    for (const l of req(T0 + 1500, 1)) s.line(l); // too late: its second is out
    expect(s.late()).toBe(1);
    expect(s.end(T0 + 3000)).toEqual([]);
  });
});

describe('rate profiles', () => {
  it('a ramp is linear from the previous target, then holds the last', () => {
    const p = { kind: 'ramping' as const, start: 10, stages: [{ target: 50, durationMs: 4000 }, { target: 50, durationMs: 1000 }, { target: 0, durationMs: 2000 }] };
    expect([0, 2000, 4000, 4500, 6000, 9000].map((t) => targetRateAt(p, t))).toEqual([10, 30, 50, 50, 25, 0]);
    expect(targetRateAt({ kind: 'constant', rate: 7 }, 123)).toBe(7);
  });

  it('becomes a k6 arrival-rate executor that runs until the harness stops it', () => {
    expect(k6Scenario({ kind: 'constant', rate: 50 }, 70_000)).toEqual({ executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '70s', preAllocatedVUs: 50, maxVUs: 50 });
    expect([1, 10, 11, 50, 400, 5000].map(defaultVus)).toEqual([10, 10, 11, 50, 400, 400]);
    const r = k6Scenario({ kind: 'ramping', start: 0, stages: [{ target: 200, durationMs: 1500 }] }, 60_000, 80);
    expect(r).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 0, maxVUs: 80, stages: [{ target: 200, duration: '1500ms' }, { target: 200, duration: '60s' }] });
  });
});

const SCENARIO = (k6: string) => `name: t
description: d
fleet:
  preset: alphaswarm
load:
  warmup: 8s
  duration: 40s
  k6:
${k6}
kill:
  at: 8s
  path: rest
  scope: platform
`;
const problems = (k6: string) => {
  try {
    parseScenarioText(SCENARIO(k6), 'x.yaml');
    return [];
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return err.issues.map((i) => `${i.line}: ${i.message}`);
  }
};

describe('load.k6 input', () => {
  it('accepts a shipped script with a constant or ramping rate', () => {
    expect(problems('    script: broker-ui\n    rate: { constant: 50 }\n    thresholds: { http_req_failed: ["rate<0.01"] }')).toEqual([]);
    expect(problems('    script: broker-ui\n    rate:\n      ramping: [{ target: 50, duration: 5s }]\n      start: 5\n    vus: 20')).toEqual([]);
  });

  it('refuses an unknown script, a rate ≤ 0, a ramp without stages, at their line', () => {
    expect(problems('    script: no-such\n    rate: { constant: 50 }')).toEqual([expect.stringMatching(/^9: no shipped k6 script is named 'no-such' \(load\/ has: agent-tasks, broker-ui\)/)]);
    expect(problems('    script: ./missing.ts\n    rate: { constant: 50 }')).toEqual([expect.stringMatching(/^9: the k6 script .*missing\.ts does not exist/)]);
    expect(problems('    script: broker-ui\n    rate: { constant: 0 }')).toEqual([expect.stringMatching(/^10: a rate above 0/)]);
    expect(problems('    script: broker-ui\n    rate: { ramping: [] }')).toEqual([expect.stringMatching(/^10: a ramping rate needs at least one stage/)]);
    expect(problems('    script: broker-ui\n    rate: { ramping: [{ target: 0, duration: 5s }] }')).toEqual([expect.stringMatching(/^10: every stage targets 0/)]);
  });
});
