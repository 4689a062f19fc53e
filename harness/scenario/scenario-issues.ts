// For the scenario tests: the issues a text is rejected with (fails the test when it is accepted).
import { expect } from 'vitest';
import { parseScenarioText, ScenarioError } from './index.ts';

export function scenarioIssues(text: string) {
  try {
    parseScenarioText(text, 'x.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues;
  }
  throw new Error('expected a ScenarioError');
}
