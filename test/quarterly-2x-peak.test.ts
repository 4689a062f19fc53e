// The quarterly drill at 2× the declared peak (issue 15 "Done means"): bench/scenarios/quarterly-2x-peak.yaml
// run as a user runs it, with the real k6, on one fleet — crd, rest, redis — passes every leg, and every
// leg proves the load was there: load-held true at 2 × the declared 50 requests/s (within its 10 %),
// the history's load-start names the 2x-peak it came from, and each leg's timeline draws the load.
// (bench/load-2x.ts runs the same file at 0×, 1× and 2× for the figures.)
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readDrill, runDrill } from './support/drill-run.ts';

const ROOT = join(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Verdict {
  checker: string;
  valid: unknown;
  summary: string;
  details?: { profile?: { rate?: number }; seconds?: Array<{ requestsPerS: number; targetPerS: number }> };
}

describe('the quarterly drill at 2x peak', () => {
  it('passes by CRD, REST and Redis on one fleet, each leg under 100 requests/s of broker-ui that load-held proves', { timeout: 600_000 }, async () => {
    const r = await runDrill([join(ROOT, 'bench/scenarios/quarterly-2x-peak.yaml')], dirs);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const { legDirs, histories } = readDrill(r);
    expect(legDirs.map((l) => l.id)).toEqual(['leg=1,kill.path=crd', 'leg=2,kill.path=rest', 'leg=3,kill.path=redis']);
    for (const [i, { dir }] of legDirs.entries()) {
      const start = histories[i].find((o) => o.type === 'load-start') as { fromPeak?: { factor: number; peak: { brokerRequestsPerS: number } }; profile?: { rate?: number } } | undefined;
      expect(start?.fromPeak).toMatchObject({ factor: 2, peak: { brokerRequestsPerS: 50 } });
      expect(start?.profile?.rate).toBe(100);
      const verdicts = (JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { verdicts: Verdict[] }).verdicts;
      const held = verdicts.find((v) => v.checker === 'load-held');
      expect(held?.valid, held?.summary).toBe(true);
      const seconds = held?.details?.seconds ?? [];
      expect(seconds.length).toBeGreaterThan(0);
      for (const s of seconds) expect(Math.abs(s.requestsPerS - s.targetPerS) / s.targetPerS).toBeLessThanOrEqual(0.1);
      expect(readFileSync(join(dir, 'timeline.html'), 'utf8')).toMatch(/load-rps/);
    }
  });
});
