// kill.queue (seed 004's queue policy, declared per kill): accepted for preset agents on a path that
// writes a kill value (rest, redis), refused with the reason elsewhere, and carried into the plan.
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './index.ts';
import { scenarioIssues } from './scenario-issues.ts';
import { planFromScenario } from '../runner/plan-from-scenario.ts';

const agents = (kill: string, preset = 'agents') => `name: q
description: d
fleet: { preset: ${preset}, bots: 12 }
load: { warmup: 3s, duration: 30s }
kill: { at: 3s, path: rest, scope: tenant, target: acme, mode: freeze, ${kill} }
release: { after: 6s }
`;

describe('kill.queue', () => {
  it('preset agents, rest or redis: drain and discard are accepted and reach the plan', () => {
    for (const q of ['drain', 'discard']) {
      const l = parseScenarioText(agents(`queue: ${q}`), 'q.yaml');
      expect(l.scenario.kill.queue).toBe(q);
      expect(planFromScenario(l.cases[0]).kill.queue).toBe(q);
    }
    expect(parseScenarioText(agents('queue: drain').replace('path: rest', 'path: redis'), 'q.yaml').scenario.kill.queue).toBe('drain');
    expect(planFromScenario(parseScenarioText(agents(''), 'q.yaml').cases[0]).kill.queue).toBeUndefined();
  });

  it('refuses a policy nothing could honour: another preset, a path without a kill value, an unknown policy', () => {
    const [p] = scenarioIssues(agents('queue: drain', 'alphaswarm'));
    expect(p).toMatchObject({ field: 'kill.queue' });
    expect(p.message).toMatch(/preset alphaswarm has no queued work.*preset agents/);
    const [c] = scenarioIssues(agents('queue: drain').replace('path: rest', 'path: crd'));
    expect(c.message).toMatch(/the crd path cannot carry a queue policy \(the KillSwitch resource has no field for it\); use path rest or redis/);
    const [f] = scenarioIssues(agents('queue: discard, fallback: { path: crd }'));
    expect(f.message).toMatch(/the crd path cannot carry/);
    const [u] = scenarioIssues(agents('queue: flush'));
    expect(u).toMatchObject({ field: 'kill.queue' });
    expect(u.message).toMatch(/discard|drain/);
  });

  it('a matrix may vary it', () => {
    const l = parseScenarioText(agents('') + 'matrix:\n  kill.queue: [discard, drain]\n', 'q.yaml');
    expect(l.cases.map((c) => planFromScenario(c).kill.queue)).toEqual(['discard', 'drain']);
  });
});
