// Every scenario file and matrix case under scenarios/ (a sequence's legs on their one fleet) is a CI regression: it runs end to end
// against the simulated fleet (process runtime) and must pass — for an incident reproduction that
// means exactly its `detects` checkers failed. No retries: a flaky scenario is a finding.
// Cases run JOBS side by side (as `killdrill run --jobs`), each fleet in its own block of
// ports; the budgets they are judged by are seconds, far above what sharing the CPU costs.
import { describe, expect, it } from 'vitest';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listScenarioFiles, loadScenarioFile } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { runSequence } from '../harness/runner/run-sequence.ts';
import { planFromScenario } from '../harness/runner/plan-from-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { processRuntime } from '../harness/runtime/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out');
const FLEET_START_AND_STOP_MS = 150_000;
/** Fleets side by side; vitest.config.ts's maxConcurrency is the same number. */
const JOBS = 3;
const freeSlots = Array.from({ length: JOBS }, (_, i) => i);

async function inSlot<T>(fn: (slot: number) => Promise<T>): Promise<T> {
  while (!freeSlots.length) await new Promise((r) => setTimeout(r, 50));
  const slot = freeSlots.shift()!;
  try {
    return await fn(slot);
  } finally {
    freeSlots.push(slot);
  }
}

describe.concurrent('scenarios', () => {
  for (const file of listScenarioFiles([join(ROOT, 'scenarios')])) {
    const loaded = loadScenarioFile(relative(process.cwd(), file) || file);
    describe(relative(ROOT, file), () => {
      for (const c of loaded.cases) {
        // A sequence (several legs on one fleet, run-sequence.ts): every leg must pass.
        const legs = c.legs ?? [c];
        const boundMs = FLEET_START_AND_STOP_MS + legs.reduce((sum, x) => {
          const p = planFromScenario(x);
          return sum + p.kill.atMs + p.stopBudgetMs + p.settleMs + (p.releaseAfterMs ?? 0) + (p.releaseAfterMs === null ? 0 : 2 * p.restartBudgetMs + p.settleMs);
        }, 0);
        it(c.id === 'default' ? c.scenario.name : `${c.scenario.name} [${c.id}]`, { timeout: boundMs }, async () => {
          const rs = await inSlot(async (index) => {
            const opts = { outDir: OUT, runtime: processRuntime, progress: silentProgress, signal: new AbortController().signal, portBlock: { index, of: JOBS } };
            return c.legs ? (await runSequence(c, opts)).legs.map((l) => l.outcome) : [await runScenarioCase(c, opts)];
          });
          expect(rs).toHaveLength(legs.length);
          for (const r of rs) {
            const report = [`${r.outcome}: ${r.runDir}`, ...r.reasons, `replay: ${r.replay}`].join('\n');
            if (r.outcome !== 'passed') process.stderr.write(report + '\n');
            expect(r.outcome, report).toBe('passed');
          }
        });
      }
    });
  }
});
