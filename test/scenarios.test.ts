// Every scenario file and matrix case under scenarios/ is a CI regression: it runs end to end
// against the simulated fleet (process runtime) and must pass — for an incident reproduction that
// means exactly its `detects` checkers failed. No retries: a flaky scenario is a finding.
import { describe, expect, it } from 'vitest';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listScenarioFiles, loadScenarioFile } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { planFromScenario } from '../harness/runner/plan-from-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { processRuntime } from '../harness/runtime/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out');
const FLEET_START_AND_STOP_MS = 150_000;

for (const file of listScenarioFiles([join(ROOT, 'scenarios')])) {
  const loaded = loadScenarioFile(relative(process.cwd(), file) || file);
  describe(relative(ROOT, file), () => {
    for (const c of loaded.cases) {
      const p = planFromScenario(c);
      const boundMs = p.kill.atMs + p.stopBudgetMs + p.settleMs + (p.releaseAfterMs ?? 0) + (p.releaseAfterMs === null ? 0 : p.restartBudgetMs + p.settleMs) + FLEET_START_AND_STOP_MS;
      it(c.id === 'default' ? c.scenario.name : `${c.scenario.name} [${c.id}]`, { timeout: boundMs }, async () => {
        const r = await runScenarioCase(c, { outDir: OUT, runtime: processRuntime, progress: silentProgress, signal: new AbortController().signal });
        const report = [`${r.outcome}: ${r.runDir}`, ...r.reasons, `replay: ${r.replay}`].join('\n');
        if (r.outcome !== 'passed') process.stderr.write(report + '\n');
        expect(r.outcome, report).toBe('passed');
      });
    }
  });
}
