// A `sequence:` case (harness/scenario/load.ts): its legs — one lever each — run one after another on
// ONE fleet (held-fleet.ts), each judged as its own case with its own run dir, history and verdicts.
// A leg starts once every bot is Running again after the previous leg's release; a leg that fails is a
// P1 finding and the drill goes on with the next (a drill reports every path). Interrupted (Ctrl-C, a
// stop condition), or no fleet started by the first leg: no further leg. The fleet is stopped after the last leg, also on error and abort.
// Then ONE merged evidence document and one timeline of the legs' levers (reports/drill-report.ts).
import { join } from 'node:path';
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import type { LegCase, ScenarioCase } from '../scenario/index.ts';
import { restartBudgetMs } from '../checkers/expectations.ts';
import { findingWhat, writeDrillReports } from '../../reports/index.ts';
import { holdFleet } from './held-fleet.ts';
import { newRunId, runScenarioCase, type CaseOutcome, type RunScenarioOptions } from './run-scenario.ts';

/** Extra time, beyond the restart budget, a leg waits for every bot to be Running before it is errored. */
const RUNNING_MARGIN_MS = 5_000;

export interface SequenceOutcome {
  /** One per leg that ran, in order. */
  legs: Array<{ leg: LegCase; outcome: CaseOutcome }>;
  /** Legs not run (after an interrupt, or when the first leg could not start the fleet). */
  notRun: LegCase[];
  /** `<outDir>/drills/<id>/`: evidence.json (kill_switch_drills) and timeline.html; null when no leg ran or they could not be written. */
  drill: { dir: string; evidence: string; timeline: string } | null;
  /** One `P1 finding:` line per leg that failed or errored (an interrupted leg was stopped, not failed). */
  findings: string[];
}

type RunCase = (c: ScenarioCase, opts: RunScenarioOptions) => Promise<CaseOutcome>;

/** Each leg's own stop conditions (`run --max-case-duration` counts from the leg's start), closed at its end. */
export type LegStop = () => (NonNullable<RunScenarioOptions['stop']> & { close(): Promise<void> | void }) | null;

export async function runSequence(c: ScenarioCase, opts: RunScenarioOptions, runCase: RunCase = runScenarioCase, onLeg: (leg: LegCase, o: CaseOutcome) => void = () => {}, legStop: LegStop = () => null): Promise<SequenceOutcome> {
  const legs = c.legs ?? [];
  const s = c.scenario;
  const keyPrefix = (s.fleet.overrides.keyPrefix as string | undefined) ?? DEFAULT_KEY_PREFIX;
  const held = holdFleet(opts.runtime, { keyPrefix, runningWithinMs: restartBudgetMs(s.expect) + RUNNING_MARGIN_MS });
  const ran: SequenceOutcome['legs'] = [];
  try {
    for (const leg of legs) {
      if (opts.signal.aborted) break;
      const stop = legStop();
      let outcome: CaseOutcome;
      try {
        outcome = await runCase(leg, { ...opts, runtime: held.runtime, replayCase: leg.sequenceId, ...(held.started() ? { fleetRanBefore: true } : {}), ...(stop ? { stop } : {}) });
      } finally {
        await stop?.close();
      }
      ran.push({ leg, outcome });
      onLeg(leg, outcome);
      if (outcome.outcome === 'interrupted') break;
      // The first leg could not start the fleet: a later leg would drill another fleet, not this one.
      if (!held.started()) break;
    }
  } finally {
    await held.release();
  }
  const findings = ran.filter((r) => r.outcome.outcome === 'failed' || r.outcome.outcome === 'errored').map((r) => findingLine(c, r.leg, r.outcome));
  let drill: SequenceOutcome['drill'] = null;
  if (ran.length) {
    const id = newRunId(s.name, c.id);
    const dir = join(opts.outDir, 'drills', id);
    try {
      const files = writeDrillReports(dir, ran.map((r) => r.outcome.runDir), { drillId: id, secrets: held.secrets() });
      drill = { dir, evidence: files.evidence, timeline: files.timeline };
    } catch (err) {
      process.stderr.write(`killdrill: the drill's merged evidence could not be written to ${dir} (the legs' verdicts stand): ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  return { legs: ran, notRun: legs.slice(ran.length), drill, findings };
}

/** `P1 finding: <scenario> leg N (<path>): <what failed>` (seed 000: a failed path is a P1 incident). */
export function findingLine(c: ScenarioCase, leg: LegCase, o: CaseOutcome): string {
  const verdicts = o.result?.verdicts?.map((v) => ({ checker: v.checker, valid: v.valid, reason: v.summary })) ?? [];
  const what = findingWhat({ outcome: o.outcome, reason: o.reasons.join('\n') || null, verdicts });
  return `P1 finding: ${c.scenario.name} leg ${leg.leg} (kill path ${leg.scenario.kill.path}, ${leg.scenario.kill.scope}:${leg.target}): ${what}`;
}
