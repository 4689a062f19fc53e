// The "staging" stand-in (issue 12 "Done means", first bullet): `killdrill sim up --json` started here as an
// independent fleet in its own process group — killdrill did not start it — an external target file written
// from its JSON line (tokens only as environment-variable names), one path case run against it with
// `killdrill run --target` (and the CRD path's, through the kubeconfig and namespace the file names), and the same case on the simulated target (a fleet the run starts itself):
// both pass with the same verdicts, and the stand-in is still up afterwards (killdrill did not stop it,
// and left no kill engaged). Then the test stops the stand-in itself.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPids } from './support/sim-up-child.ts';
import { CLI, cleanEnv, startStandIn, type StandIn } from './support/stand-in.ts';
import { mergeEvidence, runEvidenceSchema } from '../reports/index.ts';
import { KubeConfig, CustomObjectsApi } from '@kubernetes/client-node';
import { KUBE_GROUP, KUBE_NAMESPACE, KUBE_VERSION, KILLSWITCH_PLURAL } from '../contracts/index.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO = join(ROOT, 'scenarios/paths/rest.yaml');
const CRD_SCENARIO = join(ROOT, 'scenarios/paths/crd.yaml');
const CASE = 'kill.mode=cancel';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result { outcome: string; replay: string; verdicts: Array<{ checker: string; valid: boolean | 'unknown'; summary: string }> }

const dirs: string[] = [];
let standIn: StandIn | null = null;
afterAll(async () => {
  // The test's own fleet: stopped by the test (its process group), whatever happened above.
  await standIn?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** `killdrill run …` as a user types it: exit code, output, and the one case's result.json. */
async function killdrillRun(args: string[], out: string, env: NodeJS.ProcessEnv, scenario = SCENARIO): Promise<{ code: number | null; stdout: string; stderr: string; result: Result; history: Array<Record<string, unknown>>; evidence: Record<string, unknown> }> {
  const child = spawn(process.execPath, [CLI, 'run', scenario, '--case', CASE, '--out', out, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const runs = readdirSync(join(out, 'runs'));
  expect(runs, stderr).toHaveLength(1);
  const runDir = join(out, 'runs', runs[0]);
  const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as Result;
  const history = readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const evidence = JSON.parse(readFileSync(join(runDir, 'evidence.json'), 'utf8')) as Record<string, unknown>;
  return { code, stdout, stderr, result, history, evidence };
}

const verdictSet = (r: Result) => r.verdicts.map((v) => [v.checker, v.valid]);

describe('an external target: the sim up stand-in', () => {
  it(`${CASE} of scenarios/paths/rest.yaml passes against it with the verdicts of the simulated target, and leaves it up`, { timeout: 600_000 }, async () => {
    // 1. The same case on the simulated target (the run starts and stops its own fleet).
    const simulated = await killdrillRun([], tmp('kd-ext-sim-'), cleanEnv());
    expect(simulated.code, simulated.stdout + simulated.stderr).toBe(0);
    expect(simulated.result.outcome).toBe('passed');

    // 2. The stand-in: an independent fleet in its own process group, its stdin held open by this test.
    const runId = `standin-${process.pid}-${Date.now()}`;
    standIn = await startStandIn({ dir: tmp('kd-ext-standin-'), bots: 48, runId, sections: ['kubernetes'] });
    const { ep, target: targetFile } = standIn;
    const pidsBefore = runPids(runId);
    expect(pidsBefore.length).toBeGreaterThan(3);

    // 3. Its target file: endpoints from the JSON line, tokens only by the names of their variables.
    expect(readFileSync(targetFile, 'utf8')).not.toContain(ep.token);

    // 4. The same case, against the stand-in.
    const external = await killdrillRun(['--target', targetFile], tmp('kd-ext-run-'), standIn.env);
    expect(external.code, external.stdout + external.stderr).toBe(0);
    expect(external.result.outcome).toBe('passed');
    expect(verdictSet(external.result)).toEqual(verdictSet(simulated.result));
    // It drilled what the file names: no control API, no hosts, no data directory of the stand-in's.
    const up = external.history.find((o) => o.type === 'fleet-up') as { endpoints: Record<string, unknown> };
    expect(up.endpoints).toMatchObject({ external: { name: 'sim-up-stand-in', environment: 'staging' }, hosts: {} });
    expect(up.endpoints.controlUrl).toBeUndefined();
    expect(up.endpoints.dataDir).toBeUndefined();
    expect(JSON.stringify(external.history)).not.toContain(ep.token);
    // Its evidence names the target it drilled (never merged with the simulated run's).
    expect(runEvidenceSchema.parse(external.evidence).target).toEqual({ kind: 'external', name: 'sim-up-stand-in', environment: 'staging' });
    expect(() => mergeEvidence([runEvidenceSchema.parse(external.evidence), runEvidenceSchema.parse(simulated.evidence)])).toThrow(/2 different targets/);
    expect(external.result.replay).toContain(`--target ${targetFile}`);

    // 4b. The CRD path on the same stand-in, through the kubeconfig and namespace the file names: it passes,
    // and its KillSwitch is gone afterwards (the run deleted what it created).
    expect(ep.kubeconfig).toBeTruthy();
    const crd = await killdrillRun(['--target', targetFile], tmp('kd-ext-crd-'), standIn.env, CRD_SCENARIO);
    expect(crd.code, crd.stdout + crd.stderr).toBe(0);
    expect(crd.result.outcome).toBe('passed');
    const issued = crd.history.find((o) => o.type === 'lever-issued' && o.lever === 'kill') as { detail: { create: string } };
    expect(issued.detail.create.startsWith(`${KUBE_NAMESPACE}/`)).toBe(true);
    const kc = new KubeConfig();
    kc.loadFromFile(ep.kubeconfig!);
    const left = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: KUBE_GROUP, version: KUBE_VERSION, namespace: KUBE_NAMESPACE, plural: KILLSWITCH_PLURAL })) as { items: unknown[] };
    expect(left.items).toEqual([]);

    // 5. The stand-in is still up, answering, with no kill left engaged; then the test stops it.
    expect(standIn.child.exitCode).toBeNull();
    expect(runPids(runId)).toEqual(expect.arrayContaining(pidsBefore));
    const status = await fetch(`${ep.brokerUrl}/status`, { headers: { authorization: `Bearer ${ep.token}` } });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { engaged: unknown[] }).engaged).toEqual([]);
    await standIn.stop();
    for (let i = 0; i < 100 && runPids(runId).length; i++) await sleep(200);
    expect(runPids(runId)).toEqual([]);
  });
});
