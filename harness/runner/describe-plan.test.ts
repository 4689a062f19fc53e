// The dry run's plan text of one case (pure: no fleet).
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/index.ts';
import { planFromScenario } from './plan-from-scenario.ts';
import { describePlan } from './describe-plan.ts';

const TEXT = `name: plan-text
description: d
seed: 4
fleet: { preset: principal, bots: 12, bugs: [wrong-host-stop] }
load: { warmup: 2s, duration: 30s }
faults:
  - { at: 1500ms, kind: process-kill, params: { target: broker } }
kill: { at: 2s, path: broker-level, level: 1, scope: platform, mode: flatten }
expect:
  time-to-stop: { budgetS: { hft: 12 } }
  time-to-draining: { byPath: { broker-level: 3 } }
`;

describe('describePlan', () => {
  it('says the fleet, lever, each fault with its heal, the budgets from the scenario, and that nothing is released', () => {
    const c = parseScenarioText(TEXT, 's.yaml').cases[0];
    const lines = describePlan(c, planFromScenario(c, 9), 'docker', ['interrupt a case that runs longer than 1m']);
    expect(lines).toEqual([
      'dry run: plan-text  s.yaml  seed 9',
      '  fleet: preset principal, 12 bots, bugs wrong-host-stop, runtime docker (started for this case, stopped at its end)',
      '  load: warm-up 2s, hard cap (load.duration) 30s',
      '  lever: at 2s  path broker-level  scope platform  target platform  mode flatten  level 1  asset DOGE-USD',
      '  fault process-kill-1: kind process-kill at 1500ms, heals at the end of the case  params {"target":"broker"}',
      '  budget time-to-draining (broker-level): 3s from the lever',
      '  budget time-to-stop: hft 12s, standard 5m, paper 5m, agent 5m from the lever',
      '  release: none in the timeline; the kill is released when the case ends (after its faults are healed), without a restart watch',
      '  healed at the end or on abort: every fault still active (process-kill-1); a kill this run pulled and did not release is released',
      '  stop conditions: interrupt a case that runs longer than 1m',
    ]);
  });

  it('an external target: says what is drilled and that nothing of it is started or stopped (never a fleet it starts)', () => {
    const c = parseScenarioText(TEXT, 's.yaml').cases[0];
    const lines = describePlan(c, planFromScenario(c, 9), 'process', [], { kind: 'external', name: 'alphaswarm-staging', environment: 'staging' });
    expect(lines[1]).toBe("  target: external 'alphaswarm-staging' (environment staging), reached only over the endpoints its file names; nothing of it is started or stopped");
    expect(lines.join('\n')).not.toMatch(/started for this case/);
  });

  it('load.k6: the script, its rate and thresholds, and whether k6 is on the PATH', () => {
    const text = TEXT.replace('load: { warmup: 2s, duration: 30s }', "load: { warmup: 2s, duration: 30s, k6: { script: broker-ui, rate: { ramping: [{ target: 40, duration: 5s }] }, thresholds: { http_req_failed: ['rate<0.01'] } } }");
    const c = parseScenarioText(text, 's.yaml').cases[0];
    const line = describePlan(c, planFromScenario(c, 9), 'process').find((l) => l.startsWith('  load.k6:'));
    expect(line).toMatch(/^  load\.k6: script broker-ui \(.*load\/broker-ui\.ts\), ramping from 0 through 40\/s in 5s, the last held, thresholds \{"http_req_failed":\["rate<0.01"\]\}; .*judged by load-held; (k6 is \/.*k6|no k6 on the PATH: the run would error \(exit 3\))/);
  });
});
