// The seed-000 quarterly drill on one fleet against the "staging" stand-in (issue 12 "Done means"):
// `killdrill sim up --json` started here as an independent fleet in its own process group, an external
// target file written from its JSON line, and scenarios/drills/quarterly.yaml run with
// `--target` — CRD (through the kubeconfig and namespace the file names), then REST, then Redis, on
// that one fleet — passes by all three paths, with one merged evidence document that validates and
// names the external target; killdrill neither starts nor stops the stand-in and leaves no kill engaged.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPids } from './support/sim-up-child.ts';
import { startStandIn, type StandIn } from './support/stand-in.ts';
import { readDrill, runDrill, type Op } from './support/drill-run.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO = join(ROOT, 'scenarios/drills/quarterly.yaml');

const dirs: string[] = [];
let standIn: StandIn | null = null;
afterAll(async () => {
  await standIn?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the quarterly drill on one fleet, against the sim up stand-in', () => {
  it('passes by CRD, REST and Redis in one run on the stand-in, with one merged evidence document of the external target; the stand-in is left up, nothing engaged', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-drill-standin-'));
    dirs.push(dir);
    const runId = `standin-drill-${process.pid}-${Date.now()}`;
    standIn = await startStandIn({ dir, bots: 24, runId, sections: ['kubernetes'] });
    const { ep, target: targetFile } = standIn;
    const pidsBefore = runPids(runId);
    expect(ep.kubeconfig).toBeTruthy();

    const r = await runDrill([SCENARIO, '--target', targetFile], dirs, standIn.env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const { legDirs, histories, doc } = readDrill(r);
    expect(legDirs.map((l) => l.id)).toEqual(['leg=1,kill.path=crd', 'leg=2,kill.path=rest', 'leg=3,kill.path=redis']);
    expect(r.stdout).not.toMatch(/^P1 finding:/m);
    const kills = histories.map((h) => h.find((o) => o.type === 'lever-issued' && o.lever === 'kill') as Op & { path: string });
    expect(kills.map((k) => k.path)).toEqual(['crd', 'rest', 'redis']);
    for (const h of histories) expect((h.find((o) => o.type === 'fleet-up') as Op & { endpoints: Record<string, unknown> }).endpoints).toMatchObject({ external: { name: 'sim-up-stand-in', environment: 'staging' }, hosts: {} });
    expect([doc!.section, doc!.outcome, doc!.killSwitchProven, doc!.findings]).toEqual(['kill_switch_drills', 'passed', true, []]);
    expect(doc!.target).toEqual({ kind: 'external', name: 'sim-up-stand-in', environment: 'staging' });
    expect(doc!.summary.map((s) => s.replay)).toEqual(Array(3).fill(expect.stringContaining(`--target ${targetFile}`)));
    expect(readFileSync(legDirs[0].dir + '/history.jsonl', 'utf8')).not.toContain(ep.token);

    // The stand-in is still up, with no kill left engaged; then the test stops it.
    expect(standIn.child.exitCode).toBeNull();
    expect(runPids(runId)).toEqual(expect.arrayContaining(pidsBefore));
    const status = await fetch(`${ep.brokerUrl}/status`, { headers: { authorization: `Bearer ${ep.token}` } });
    expect(((await status.json()) as { engaged: unknown[] }).engaged).toEqual([]);
    await standIn.stop();
  });
});
