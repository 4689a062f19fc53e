// `killdrill run … --dry-run`: the plan of every selected case on stdout; no fleet, no Redis, no
// network, no file written (test/dry-run.test.ts runs it under Node's permission model to prove it).
import type { ScenarioCase } from '../scenario/index.ts';
import { planFromScenario } from '../runner/plan-from-scenario.ts';
import { describePlan, type PlanTarget } from '../runner/describe-plan.ts';
import type { Io } from './validate-command.ts';
import { describePreflight, DEFAULT_MAX_CLOCK_OFFSET_MS } from '../runner/preflight-rules.ts';

export interface DryRunOptions {
  seed?: number;
  /** `--runtime`: overrides each scenario's runtime. */
  runtimeName?: string;
  /** The stop conditions given (`--max-case-duration` …), as the plan should say them. */
  stopConditions?: string[];
  /** `--target`: what is drilled instead of each scenario's fleet. */
  target?: PlanTarget;
  /** `--max-clock-offset`, as preflight would apply it. */
  maxClockOffsetMs?: number;
}

export function printDryRun(cases: ScenarioCase[], o: DryRunOptions, io: Io): number {
  for (const c of cases) {
    if (c.legs) io.out(`dry run: ${c.scenario.name}${c.id === 'default' ? '' : ` [${c.id}]`}  ${c.file}: a sequence of ${c.legs.length} legs (${c.legs.map((l) => l.scenario.kill.path).join(' → ')}) on ONE fleet${o.target?.kind === 'external' ? '' : ' (started for the first leg, kept between legs, stopped after the last)'}; each leg starts once every bot is Running again after the previous release, and is judged as its own case`);
    for (const x of c.legs ?? [c]) {
      const plan = planFromScenario(x, o.seed);
      for (const l of describePlan(x, plan, o.runtimeName ?? c.scenario.runtime, o.stopConditions ?? [], o.target)) io.out(l);
    }
    io.out(describePreflight(o.maxClockOffsetMs ?? DEFAULT_MAX_CLOCK_OFFSET_MS));
  }
  io.out(`killdrill: dry run: ${cases.length} case(s) planned; nothing was started, written or sent`);
  return 0;
}
