// Issue 11 item 12 end to end: a case whose lever cannot work (bots that only listen to pub/sub, a
// lever that only SETs the key; the gateway stops their effects) is decided once the draining budget ran out; the runner stops
// watching, releases and reports, instead of watching the 300 s stop budget out. Judged on the
// recorded history (the fleet's clock), not on wall-clock time.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenarioText } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { planFromScenario } from '../harness/runner/plan-from-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { processRuntime } from '../harness/runtime/index.ts';
import { readHistory } from '../harness/history/index.ts';

const YAML = `name: lever-cannot-work
description: >
  pubsub-only bots never hear a SET-only lever; the gateway's check keeps their orders off the venue,
  so only the draining budget can decide. No detects: the case must fail, and early.
fleet:
  preset: alphaswarm
  bugs: [pubsub-only]
  overrides: { pollIntervalS: 1, gatewayCheck: true }
load: { warmup: 3s, duration: 10m }
kill: { at: 3s, path: redis, scope: platform, mode: cancel }
release: { after: 60s }
`;

describe('a decided case ends early', () => {
  it('ends soon after the draining budget, releases before its time, and says why', { timeout: 240_000 }, async () => {
    const [c] = parseScenarioText(YAML, 'lever-cannot-work.yaml').cases;
    const plan = planFromScenario(c);
    expect(plan.stopBudgetMs).toBe(300_000);
    const r = await runScenarioCase(c, { outDir: mkdtempSync(join(tmpdir(), 'kd-early-')), runtime: processRuntime, progress: silentProgress, signal: new AbortController().signal });
    expect(r.outcome, r.reasons.join('\n')).toBe('failed');
    const h = readHistory(join(r.runDir, 'history.jsonl'));
    const kill = h.lever('kill')!;
    const decided = h.ofType('case-decided')[0];
    expect(decided).toMatchObject({ outcome: 'failed', stage: 'stop' });
    expect(decided.by.map((b) => b.checker)).toContain('time-to-draining');
    // decided after the 10 s draining budget, and the watch ended long before the 300 s stop budget
    expect(decided.at - kill.issuedAt).toBeGreaterThanOrEqual(10_000);
    const stopped = h.ofType('observers-stopped')[0].at;
    expect(stopped - kill.issuedAt).toBeLessThan(plan.stopBudgetMs);
    // released at once, not at release.after (60 s); load.duration (10 m) did not end it
    expect(h.lever('release')!.issuedAt - kill.issuedAt).toBeLessThan(plan.releaseAfterMs!);
    expect(h.ofType('duration-reached')).toHaveLength(0);
    expect(r.result.endedEarly).toMatchObject({ stage: 'stop', outcome: 'failed' });
    expect(r.reasons[0]).toMatch(/^killdrill: the case was decided .* after the kill \(stop watch\) and ended early: time-to-draining failed for good/);
    expect(r.reasons.some((x) => /^time-to-draining: failed: .*never left Running/.test(x))).toBe(true);
  });
});
