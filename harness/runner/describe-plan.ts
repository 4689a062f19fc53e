// `killdrill run --dry-run`: one case's plan as text — the lever, the faults and their heals, the
// budgets the checkers judge, the release — from the same RunPlan run-case.ts executes and the same
// budget functions the checkers use. Pure: it starts, reads and writes nothing.
import { BOT_CLASSES } from '../../contracts/index.ts';
import { formatDuration } from '../scenario/duration.ts';
import type { ScenarioCase } from '../scenario/index.ts';
import { drainingBudgetMs, restartBudgetMs, stopBudgetMs } from '../checkers/expectations.ts';
import type { CheckerName } from '../checkers/names.ts';
import type { RunPlan } from './plan.ts';
import { findK6 } from '../load/find-k6.ts';

const d = (ms: number) => formatDuration(ms);

/** The plan of one case, one line per item (times from the start of the load, as in the scenario file). */
/** What is drilled, when it is not a fleet the case starts: an external target (killdrill starts and stops nothing of it). */
export interface PlanTarget {
  kind: 'simulated' | 'external';
  name: string;
  environment?: string;
}

export function describePlan(c: ScenarioCase, plan: RunPlan, runtimeName: string, stopConditions: string[] = [], target?: PlanTarget): string[] {
  const s = c.scenario;
  const e = s.expect;
  const skipped = (n: CheckerName) => (s.skip ?? []).includes(n);
  const judged = (n: CheckerName) => (skipped(n) ? ' (not judged: skipped)' : '');
  const k = plan.kill;
  const lines = [`dry run: ${s.name}${c.id === 'default' ? '' : ` [${c.id}]`}  ${c.file}  seed ${plan.seed}`];
  if (target?.kind === 'external') lines.push(`  target: external '${target.name}' (environment ${target.environment}), reached only over the endpoints its file names; nothing of it is started or stopped`);
  else lines.push(
    `  fleet: ${target ? `simulated target '${target.name}': ` : ''}preset ${plan.fleet.preset}${plan.fleet.bots !== undefined ? `, ${plan.fleet.bots} bots` : ", the preset's bots"}, bugs ${plan.fleet.bugs.length ? plan.fleet.bugs.join(',') : 'none'}, runtime ${runtimeName} (${'leg' in c ? `the sequence's one fleet, leg ${String(c.leg)}` : 'started for this case, stopped at its end'})`,
  );
  lines.push(`  load: warm-up ${d(plan.warmupMs)}, hard cap (load.duration) ${d(plan.maxDurationMs)}`);
  const k6 = plan.load?.k6;
  if (k6) {
    const fromPeak = k6.fromPeak ? ` (${k6.fromPeak.factor}x the target's measured peak of ${k6.fromPeak.peak.brokerRequestsPerS} broker requests/s: ${k6.fromPeak.peak.measured})` : '';
    const rate = k6.profile.kind === 'constant' ? `${k6.profile.rate} requests/s${fromPeak}` : `ramping from ${k6.profile.start} through ${k6.profile.stages.map((st) => `${st.target}/s in ${d(st.durationMs)}`).join(', ')}, the last held`;
    const where = findK6();
    lines.push(`  load.k6: script ${k6.script} (${k6.scriptPath}), ${rate}${Object.keys(k6.thresholds).length ? `, thresholds ${JSON.stringify(k6.thresholds)}` : ''}; started before the warm-up, stopped at the end; judged by load-held${judged('load-held')}; ${where ? `k6 is ${where}` : 'no k6 on the PATH: the run would error (exit 3); see docs/load.md'}`);
  }
  lines.push(
    `  lever: at ${d(k.atMs)}  path ${k.path}  scope ${k.scope}  target ${k.target}  mode ${k.mode}${k.level !== undefined ? `  level ${k.level}` : ''}${k.asset !== undefined ? `  asset ${k.asset}` : ''}`,
  );
  if (!plan.faults.length) lines.push('  faults: none');
  for (const f of plan.faults) {
    const heal = f.healAfterMs === null ? 'heals at the end of the case' : `heals ${d(f.healAfterMs)} after injection (at ${d(f.atMs + f.healAfterMs)})`;
    const params = Object.keys(f.params).length ? `  params ${JSON.stringify(f.params)}` : '';
    lines.push(`  fault ${f.id}: kind ${f.kind} at ${d(f.atMs)}, ${heal}${params}`);
  }
  lines.push(`  budget time-to-draining (${k.path}): ${d(drainingBudgetMs(e, k.path))} from the lever${judged('time-to-draining')}`);
  lines.push(`  budget time-to-stop: ${BOT_CLASSES.map((cls) => `${cls} ${d(stopBudgetMs(e, cls))}`).join(', ')} from the lever${judged('time-to-stop')}`);
  if (plan.releaseAfterMs === null) {
    lines.push('  release: none in the timeline; the kill is released when the case ends (after its faults are healed), without a restart watch');
  } else {
    lines.push(
      `  release: at ${d(k.atMs + plan.releaseAfterMs)} (${d(plan.releaseAfterMs)} after the lever, or earlier once the case is decided); every in-scope bot Running again within ${d(restartBudgetMs(e))}${judged('restart-after-release')}`,
    );
  }
  const healed = plan.faults.map((f) => f.id);
  lines.push(`  healed at the end or on abort: ${healed.length ? `every fault still active (${healed.join(', ')})` : 'nothing (no fault)'}; a kill this run pulled and did not release is released`);
  if (stopConditions.length) lines.push(`  stop conditions: ${stopConditions.join('; ')}`);
  return lines;
}
