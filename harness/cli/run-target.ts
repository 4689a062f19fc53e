// `killdrill run … --target FILE [--confirm ENV]`: what the target file changes before anything starts.
//   simulated — its preset, bots, bugs, overrides and runtime replace every case's `fleet:` and runtime;
//   external  — the cases run on the external runtime (nothing started, nothing stopped); refused,
//               each reason named, when the target does not allow a drill, is production without
//               --confirm, lacks a token variable, or a case needs what only a simulator can provide.
import { loadTargetFile, safetyRefusals, externalRefusals, externalRuntime, TargetEnvError, TargetError, type Target } from '../target/index.ts';
import type { AnyRuntime } from '../runtime/index.ts';
import { checkFaultsAgainstPreset, type ComponentPlanner } from '../faults/index.ts';
import { planFromScenario } from '../runner/plan-from-scenario.ts';
import type { ScenarioCase } from '../scenario/index.ts';
import type { RunScenarioOptions } from '../runner/run-scenario.ts';

export interface Targeted {
  cases: ScenarioCase[];
  /** The external target's runtime (a simulated target's is by name, in each case's scenario.runtime). */
  runtime?: AnyRuntime;
  info: NonNullable<RunScenarioOptions['target']>;
}

/** Refused: every reason, one `killdrill:` line each; exit 2 and nothing starts. */
export class TargetRefused extends Error {
  override name = 'TargetRefused';
  readonly reasons: string[];
  constructor(reasons: string[]) {
    super(reasons.join('\n'));
    this.reasons = reasons;
  }
}

export function applyTarget(file: string, cases: ScenarioCase[], opts: { confirm?: string; jobs: number; env: Record<string, string | undefined>; components?: ComponentPlanner }): Targeted {
  let t: Target;
  try {
    t = loadTargetFile(file);
  } catch (err) {
    throw new TargetRefused([err instanceof TargetError ? err.message : `killdrill: ${file}: ${err instanceof Error ? err.message : String(err)}`]);
  }
  if (t.kind === 'simulated') {
    if (opts.confirm !== undefined) throw new TargetRefused([`killdrill: --confirm is for external targets; ${file} is a simulated one: leave --confirm out`]);
    const fleet = { preset: t.preset, ...(t.bots !== undefined ? { bots: t.bots } : {}), bugs: [...t.bugs], overrides: { ...t.overrides }, ...(t.peak ? { peak: t.peak } : {}) };
    const out = withLegs(cases, (c) => ({ ...c, scenario: { ...c.scenario, fleet, runtime: t.runtime } }));
    const reasons = [...peakRefusals(out, t.name, file)];
    reasons.push(...out.flatMap((c) =>
      checkFaultsAgainstPreset(fleet, c.scenario.faults, opts.components).map(([i, p]) => `killdrill: ${c.file}${c.id === 'default' ? '' : ` [${c.id}]`}: fault '${c.scenario.faults[i].kind}' cannot be injected into target ${t.name} (${t.preset}): ${p}`),
    ));
    if (reasons.length) throw new TargetRefused(reasons);
    return { cases: out, info: { file, kind: 'simulated', name: t.name } };
  }
  const reasons = safetyRefusals(t, file, opts.confirm);
  if (opts.jobs > 1) reasons.push(`killdrill: --jobs ${opts.jobs}: an external target is one system; its cases run one after another (leave --jobs out)`);
  for (const c of cases) {
    // A sequence's legs each pull their own path: a leg whose path the target lacks is refused, at its line.
    for (const x of c.legs ?? [c]) {
      const plan = planFromScenario(x);
      reasons.push(...externalRefusals(t, { file: 'at' in x ? String(x.at) : c.file, caseId: x.id, bugs: plan.fleet.bugs, kill: plan.kill, faults: plan.faults }));
    }
  }
  if (reasons.length) throw new TargetRefused([...new Set(reasons)]);
  let runtime: AnyRuntime;
  try {
    runtime = externalRuntime(t, opts.env, file);
  } catch (err) {
    throw new TargetRefused([err instanceof TargetEnvError ? err.message : `killdrill: ${file}: ${err instanceof Error ? err.message : String(err)}`]);
  }
  // Only the target's kill-key prefix is a fleet fact the runner uses; the simulator's knobs mean nothing here.
  const keyPrefix = t.redis?.keyPrefix;
  // The peak is the target's: the scenario's fleet.peak is the simulated fleet's, never the external system's.
  const out = withLegs(cases, (c) => {
    const { peak: _simulated, ...fleet } = c.scenario.fleet;
    return { ...c, scenario: { ...c.scenario, fleet: { ...fleet, bugs: [], overrides: keyPrefix ? { keyPrefix } : {}, ...(t.peak ? { peak: t.peak } : {}) } } };
  });
  const noPeak = peakRefusals(out, t.name, file);
  if (noPeak.length) throw new TargetRefused(noPeak);
  return { cases: out, runtime, info: { file, kind: 'external', name: t.name, environment: t.environment } };
}

/** A case whose load.k6.rate is `<N>x-peak` on a target that declares no peak: refused, the peak never guessed. */
function peakRefusals(cases: ScenarioCase[], name: string, file: string): string[] {
  return cases.flatMap((c) =>
    (c.legs ?? [c])
      .filter((x) => typeof x.scenario.load.k6?.rate === 'string' && !x.scenario.fleet.peak)
      .map((x) => `killdrill: ${c.file}${x.id === 'default' ? '' : ` [${x.id}]`}: load.k6.rate ${String(x.scenario.load.k6!.rate)} needs the target's measured peak, and target ${name} (${file}) declares none; add peak { brokerRequestsPerS, measured } to the target file, or give the case a constant rate`),
  );
}

/** The change made to each case, made to a sequence's legs too (they run on the case's fleet). */
function withLegs(cases: ScenarioCase[], f: <C extends ScenarioCase>(c: C) => C): ScenarioCase[] {
  return cases.map((c) => ({ ...f(c), ...(c.legs ? { legs: c.legs.map(f) } : {}) }));
}
