// The harness imports no simulator code: the killdrill command (cli/) passes the simulator's component
// plan to the load-time fault check, and the harness's unit tests use a literal copy of alphaswarm's.
// Here (test/ may import both): the copy equals the plan, and every shipped scenario loads with the plan.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedComponents } from '../fleet-sim/planned-components.ts';
import { ALPHASWARM_COMPONENTS } from '../harness/faults/alphaswarm-components.fixture.ts';
import { listScenarioFiles, loadScenarioFile, parseScenarioText, ScenarioError } from '../harness/scenario/index.ts';
import type { PresetName } from '../fleet-sim/planned-components.ts';

const ROOT = join(import.meta.dirname, '..');
const plan = (preset: string, bots?: number) => plannedComponents(preset as PresetName, bots);

describe('the component plan the command passes to the harness', () => {
  it("alphaswarm's literal fixture is the simulator's plan (12 and 24 bots)", () => {
    for (const bots of [12, 24, undefined]) expect(ALPHASWARM_COMPONENTS.map(({ name, kind, host }) => ({ name, kind, ...(host ? { host } : {}) }))).toEqual(plannedComponents('alphaswarm', bots));
  });

  it('every scenario under scenarios/ and bench/scenarios/ loads with it (its faults aimed at components the fleet has)', () => {
    const files = listScenarioFiles([join(ROOT, 'scenarios'), join(ROOT, 'bench', 'scenarios')]);
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) expect(loadScenarioFile(f, { components: plan }).cases.length, f).toBeGreaterThan(0);
  });

  it('with it a fault at a component the preset lacks is refused at load; without it the loader leaves that to the live check', () => {
    const text = `name: t\ndescription: d\nfleet: { preset: principal }\nload: { warmup: 3s, duration: 20s }\nkill: { at: 3s, path: rest, scope: platform, mode: cancel }\nrelease: { after: 4s }\nfaults:\n  - { at: 1s, kind: operator-down }\n`;
    expect(() => parseScenarioText(text, 'x.yaml', { components: plan })).toThrow(ScenarioError);
    expect(() => parseScenarioText(text, 'x.yaml', { components: plan })).toThrow(/fault 'operator-down' cannot be injected into this principal fleet: this fleet has no 'operator' component/);
    expect(parseScenarioText(text, 'x.yaml').cases).toHaveLength(1);
  });
});
