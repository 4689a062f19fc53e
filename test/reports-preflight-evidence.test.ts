// The evidence carries the case's preflight (docs/safety.md): its outcome, the target's clock offset
// and bound, the endpoints it probed, what it cleared of a dead run, its problems; null when the
// history has no preflight op (never an invented pass).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureRun } from './reports-fixture.ts';
import { buildEvidence, buildView, readRun, runEvidenceSchema } from '../reports/index.ts';

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'kd-pf-evidence-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const evidenceOf = (dir: string) => runEvidenceSchema.parse(buildEvidence(buildView(readRun(dir))));

describe('evidence.preflight', () => {
  it("copies the preflight op's outcome and figures", () => {
    const f = writeFixtureRun({ dir: join(tmp, 'passed'), bots: 10, path: 'rest', postFlip: 0 });
    const op = {
      t: 1, type: 'preflight', ok: true, at: 1, tookMs: 105.1, problems: [], lease: 'a:b:killdrill:run:x', maxClockOffsetMs: 250, inScope: 4,
      clock: { offsetMs: -0.06, rttMs: 0.5, boundMs: 0.31, samples: 5 },
      endpoints: [{ endpoint: 'broker', url: 'http://127.0.0.1:1/status', ok: true, status: 200, ms: 28.2 }],
      cleared: [{ runId: 'dead-1', what: 'kill key p:fleet:x', how: 'POST /killswitch/release', ok: true }],
      engaged: [], notRunning: [],
    };
    appendFileSync(join(f.dir, 'history.jsonl'), JSON.stringify(op) + '\n');
    expect(evidenceOf(f.dir).preflight).toEqual({
      ok: true, tookMs: 105.1, problems: [], clock: { offsetMs: -0.06, rttMs: 0.5, boundMs: 0.31, samples: 5 }, maxClockOffsetMs: 250,
      endpoints: [{ endpoint: 'broker', url: 'http://127.0.0.1:1/status', ok: true, status: 200, ms: 28.2 }],
      cleared: [{ runId: 'dead-1', what: 'kill key p:fleet:x', how: 'POST /killswitch/release', ok: true }],
    });
  });
  it('a failed preflight: ok false with its problems, an unmeasured clock null', () => {
    const f = writeFixtureRun({ dir: join(tmp, 'failed'), bots: 10, path: 'rest', postFlip: 0 });
    const problem = "killdrill: preflight: the target's Redis redis://10.0.0.1:6379 does not answer: connect ETIMEDOUT; check redis.url (and redis.passwordEnv) and that it is up";
    appendFileSync(join(f.dir, 'history.jsonl'), JSON.stringify({ t: 1, type: 'preflight', ok: false, at: 1, tookMs: 3001, problems: [problem], cleared: [], maxClockOffsetMs: 250, inScope: 4 }) + '\n');
    expect(evidenceOf(f.dir).preflight).toMatchObject({ ok: false, problems: [problem], clock: null, endpoints: [] });
  });
  it('no preflight op: null, not a pass', () => {
    const f = writeFixtureRun({ dir: join(tmp, 'none'), bots: 10, path: 'rest', postFlip: 0 });
    expect(evidenceOf(f.dir).preflight).toBeNull();
  });
});
