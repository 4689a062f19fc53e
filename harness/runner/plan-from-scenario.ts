// One scenario case → the RunPlan the timeline interpreter (run-case.ts) executes.
import { BOT_CLASSES } from '../../contracts/index.ts';
import { parseDuration } from '../scenario/duration.ts';
import type { ScenarioCase } from '../scenario/index.ts';
import { drainingBudgetMs, restartBudgetMs, stopBudgetMs } from '../checkers/expectations.ts';
import type { CheckerName } from '../checkers/names.ts';
import type { RunPlan } from './plan.ts';
import { k6Plan } from '../load/k6-plan.ts';

const SETTLE_MS = 1000;

function ms(d: string): number {
  const v = parseDuration(d);
  if (v === null) throw new Error(`killdrill: '${d}' is not a duration; validate the scenario first (killdrill validate)`);
  return v;
}

export function planFromScenario(c: ScenarioCase, seed?: number): RunPlan {
  const s = c.scenario;
  const e = s.expect;
  const faults = s.faults.map((f, i) => ({
    id: f.id ?? `${f.kind}-${i + 1}`,
    kind: f.kind,
    atMs: ms(f.at),
    healAfterMs: f.heal === 'end' ? null : ms(f.heal),
    params: { ...(f.params ?? {}) } as Record<string, unknown>,
  }));
  const broker = s.kill.path === 'broker-level';
  const skipped = (n: CheckerName) => (s.skip ?? []).includes(n);
  return {
    file: c.file,
    scenarioName: s.name,
    caseId: c.id,
    seed: seed ?? s.seed,
    fleet: { preset: s.fleet.preset, bots: s.fleet.bots, bugs: [...s.fleet.bugs], overrides: { ...s.fleet.overrides } },
    warmupMs: ms(s.load.warmup),
    maxDurationMs: ms(s.load.duration),
    faults,
    kill: {
      atMs: ms(s.kill.at),
      path: s.kill.path,
      scope: s.kill.scope,
      target: c.target,
      mode: s.kill.mode,
      ...(broker ? { level: s.kill.level } : {}),
      ...(broker && s.kill.level === 1 ? { asset: s.kill.asset ?? 'DOGE-USD' } : {}),
      ...(s.kill.queue ? { queue: s.kill.queue } : {}),
      ...(s.kill.fallback ? { fallback: s.kill.fallback.path } : {}),
    },
    releaseAfterMs: s.release ? ms(s.release.after) : null,
    // Watch long enough for every budget the checkers judge, so "not yet" never hides a miss (a skipped
    // time checker's budget is not waited for: nothing judges it).
    stopBudgetMs: Math.max(
      0,
      ...(skipped('time-to-draining') ? [] : [drainingBudgetMs(e, s.kill.path)]),
      ...(skipped('time-to-stop') ? [] : BOT_CLASSES.map((cls) => stopBudgetMs(e, cls))),
    ),
    restartBudgetMs: restartBudgetMs(e),
    settleMs: SETTLE_MS,
    ...(s.load.k6 ? { load: { k6: k6Plan(s.load.k6, c.file, s.fleet.peak) } } : {}),
  };
}
