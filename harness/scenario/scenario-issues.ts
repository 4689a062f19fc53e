// For the scenario tests: the issues a text is rejected with (fails the test when it is accepted).
// The load-time fault check gets alphaswarm's components from a literal fixture (the harness imports no
// simulator code; the killdrill command passes the simulator's plan, test/faults-input.test.ts runs it).
import { expect } from 'vitest';
import { parseScenarioText, ScenarioError } from './index.ts';
import { ALPHASWARM_COMPONENTS } from '../faults/alphaswarm-components.fixture.ts';
import type { ComponentPlanner } from '../faults/index.ts';

/** alphaswarm's planned components; any other preset has no fixture here (its faults are checked through the command). */
export const fixturePlanner: ComponentPlanner = (preset) => {
  if (preset !== 'alphaswarm') throw new Error(`killdrill: the test fixture plans alphaswarm only, not ${preset}`);
  return ALPHASWARM_COMPONENTS;
};

export function scenarioIssues(text: string) {
  try {
    parseScenarioText(text, 'x.yaml', { components: fixturePlanner });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues;
  }
  throw new Error('expected a ScenarioError');
}
