// An aborted case leaves no lever pulled (issue 12 item 3): SIGINT after the kill engaged, before
// its release was due, releases this run's own kill (faults healed first) and records it; the
// KillSwitch it created carries the run's tag in its name and the run id in its reason.
import { describe, expect, it } from 'vitest';
import { killdrill, readOps, runDirs, runIdOf, scenarioFile, until } from './faults-helpers.ts';
import { runTag } from '../harness/kill-paths/run-marks.ts';

const scenario = (name: string, path: string) => `name: ${name}
description: A kill whose release is far off, so a SIGINT lands while it is pulled.
seed: 1
fleet:
  preset: alphaswarm
  bots: 6
load: { warmup: 2s, duration: 120s }
kill: { at: 2s, path: ${path}, scope: platform, target: platform, mode: cancel }
release: { after: 90s }
`;

describe('abort releases the kill this run pulled', () => {
  for (const path of ['rest', 'crd']) {
    it(`${path}: SIGINT while the kill is engaged → the release is issued and acknowledged before the fleet stops`, { timeout: 180_000 }, async () => {
      const { file, outDir } = scenarioFile(`abort-${path}`, scenario(`abort-${path}`, path));
      const run = killdrill(['run', file, '--out', outDir, '--observe-full']);
      const runDir = await until('the run directory', () => runDirs(outDir)[0], 60_000);
      await until('the kill engaged', () => readOps(runDir).some((o) => o.type === 'lever-engaged' && o.lever === 'kill'), 120_000);
      run.child.kill('SIGINT');
      expect(await run.code).toBe(130);
      const ops = readOps(runDir);
      const runId = runIdOf(runDir);
      const done = ops.find((o) => o.type === 'lever-abort-release' && o.phase === 'done');
      expect(done, JSON.stringify(ops.filter((o) => String(o.type).startsWith('lever')))).toMatchObject({ ok: true });
      const release = ops.filter((o) => String(o.type).startsWith('lever-') && o.lever === 'release');
      expect(release.map((o) => o.type)).toEqual(expect.arrayContaining(['lever-issued', 'lever-ack', 'lever-engaged']));
      expect(release.find((o) => o.type === 'lever-ack')).toMatchObject({ ok: true });
      if (path === 'crd') {
        const issued = ops.find((o) => o.type === 'lever-issued' && o.lever === 'kill') as unknown as { detail: { create: string; spec: { reason: string } } };
        expect(issued.detail.create).toMatch(new RegExp(`/killdrill-platform-platform-${runTag(runId)}$`));
        expect(issued.detail.spec.reason).toContain(`killdrill run ${runId}`);
      }
      expect(ops.some((o) => o.type === 'run-end' && o.outcome === 'interrupted')).toBe(true);
    });
  }
});
