// `load.k6.rate: 2x-peak`: N × the target's declared peak as a constant rate; no peak → refused (never guessed),
// at the scenario's line, and by `run --target` when the target file declares none.
import { describe, expect, it } from 'vitest';
import { peakFactor, peakProfile } from './peak.ts';
import { k6Plan } from './k6-plan.ts';
import { parseScenarioText, ScenarioError } from '../scenario/index.ts';
import { planFromScenario } from '../runner/plan-from-scenario.ts';
import { describePlan } from '../runner/describe-plan.ts';

const PEAK = { brokerRequestsPerS: 57, measured: 'broker request counter, 1-s max over November 2026' };

describe('peakProfile', () => {
  it('2x-peak is twice the declared peak as a constant rate (rounded up), with what it was computed from', () => {
    expect(peakProfile('2x-peak', PEAK)).toEqual({ profile: { kind: 'constant', rate: 114 }, fromPeak: { factor: 2, peak: PEAK } });
    expect(peakProfile('1.5x-peak', PEAK)).toEqual({ profile: { kind: 'constant', rate: 86 }, fromPeak: { factor: 1.5, peak: PEAK } });
    expect(peakFactor('3x-peak')).toBe(3);
    expect(peakFactor('2x-peek')).toBeNull();
    expect(peakFactor({ constant: 2 })).toBeNull();
  });

  it('no declared peak, a factor of 0 or not a peak rate: an error saying what to do, never a guessed rate', () => {
    expect(peakProfile('2x-peak', undefined)).toEqual({ error: expect.stringMatching(/the target declares none; declare it \(fleet\.peak/) });
    expect(peakProfile('0x-peak', PEAK)).toEqual({ error: expect.stringMatching(/factor must be above 0/) });
    expect(peakProfile('peak', PEAK)).toEqual({ error: expect.stringMatching(/not a peak rate/) });
    expect(() => k6Plan({ script: 'broker-ui', rate: '2x-peak' }, 'x.yaml')).toThrow(/^killdrill: x\.yaml: load\.k6\.rate: 2x-peak is 2 times .* declares none/);
  });
});

const SCENARIO = (fleetExtra: string, rate: string) => `name: t
description: d
fleet:
  preset: alphaswarm
${fleetExtra}load:
  warmup: 8s
  duration: 40s
  k6:
    script: broker-ui
    rate: ${rate}
kill:
  at: 8s
  path: rest
  scope: platform
`;
const problems = (text: string) => {
  try {
    parseScenarioText(text, 'x.yaml');
    return [];
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return err.issues.map((i) => `${i.line}: ${i.message}`);
  }
};

describe('2x-peak in a scenario', () => {
  it('with fleet.peak: the plan runs twice it, and records the peak it doubled', () => {
    const text = SCENARIO('  peak: { brokerRequestsPerS: 57, measured: "broker request counter, 1-s max over November 2026" }\n', '2x-peak');
    expect(problems(text)).toEqual([]);
    const c = parseScenarioText(text, 'x.yaml').cases[0];
    const plan = planFromScenario(c);
    expect(plan.load?.k6).toMatchObject({ profile: { kind: 'constant', rate: 114 }, fromPeak: { factor: 2, peak: PEAK } });
    expect(describePlan(c, plan, 'process').join('\n')).toMatch(/114 requests\/s \(2x the target's measured peak of 57 broker requests\/s: broker request counter/);
  });

  it('without fleet.peak, or with a peak that says nothing of how it was measured: refused at its line', () => {
    expect(problems(SCENARIO('', '2x-peak'))).toEqual([expect.stringMatching(/^10: 2x-peak is a multiple of the target's measured peak .* this fleet declares none; add fleet\.peak/)]);
    expect(problems(SCENARIO('  peak: { brokerRequestsPerS: 57, measured: guess }\n', '2x-peak'))).toEqual([expect.stringMatching(/^5: say where, when and how the peak was measured/)]);
    expect(problems(SCENARIO('  peak: { brokerRequestsPerS: 0, measured: "a month of the broker counter" }\n', '2x-peak'))).toEqual([expect.stringMatching(/^5: a peak above 0/)]);
    expect(problems(SCENARIO('', '0x-peak'))).toEqual([expect.stringMatching(/^10: 0x-peak: the factor must be above 0/)]);
    expect(problems(SCENARIO('', '2y-peak'))).toEqual([expect.stringMatching(/^10: .*2x-peak/)]);
  });
});
