// expect.breaker-tripped at load: consecutive-losses needs `losses`; `losses`/`cooldownS` belong to it
// alone; and they must equal what the scenario configures the fleet with (the drill judges the fleet by
// its own N and cooldown), each refusal naming the field.
import { describe, expect, it } from 'vitest';
import { scenarioIssues } from './scenario-issues.ts';
import { parseScenarioText } from './index.ts';

const scenario = (breakers: string, expectLine: string, fault = 'adverse-fills') => `name: t
description: d
fleet:
  preset: alphaswarm
  overrides:
    breakers: ${breakers}
load:
  warmup: 3s
  duration: 40s
faults:
  - { at: 4s, kind: ${fault}, params: { assets: [MSFT] }, heal: 6s }
kill:
  at: 12s
  path: rest
  scope: platform
  mode: cancel
expect:
  breaker-tripped: ${expectLine}
`;

describe('expect.breaker-tripped for consecutive-losses', () => {
  it('loads when losses and cooldownS match the fleet', () => {
    expect(parseScenarioText(scenario('{ maxConsecutiveLosses: 3, lossCooldownS: 3 }', '{ breaker: consecutive-losses, losses: 3, cooldownS: 3 }'), 'x.yaml').cases).toHaveLength(1);
  });

  it('refuses a missing losses, a losses or cooldown other than the fleet\'s, and losses on another breaker', () => {
    const msg = (y: string) => scenarioIssues(y).map((i) => `${i.field}: ${i.message}`);
    expect(msg(scenario('{ maxConsecutiveLosses: 3 }', '{ breaker: consecutive-losses }'))).toEqual([expect.stringMatching(/^expect\.breaker-tripped\.losses: breaker consecutive-losses needs losses/)]);
    expect(msg(scenario('{ maxConsecutiveLosses: 3, lossCooldownS: 3 }', '{ breaker: consecutive-losses, losses: 4 }'))).toEqual([
      expect.stringMatching(/^expect\.breaker-tripped\.losses: losses 4 differs from the fleet's breakers\.maxConsecutiveLosses 3/),
      expect.stringMatching(/^expect\.breaker-tripped\.cooldownS: cooldownS 10 \(the default\) differs from the fleet's breakers\.lossCooldownS 3/),
    ]);
    expect(msg(scenario('{ volRatioThreshold: 4 }', '{ breaker: volatility, losses: 3 }', 'price-shock'))).toEqual([expect.stringMatching(/losses and cooldownS are for breaker consecutive-losses; drop them for volatility/)]);
  });

  it('refuses consecutive-losses without an adverse-fills fault to drill it', () => {
    expect(scenarioIssues(scenario('{ maxConsecutiveLosses: 3 }', '{ breaker: consecutive-losses, losses: 3 }', 'price-shock')).map((i) => i.message)).toEqual([expect.stringMatching(/no adverse-fills fault to drill the consecutive-losses breaker with/)]);
  });
});
