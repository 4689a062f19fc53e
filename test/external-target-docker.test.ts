// The staging stand-in on docker (issue 12 "Done means": `sim up --json` on docker as an independent
// fleet): the fleet in containers on its own bridge network, started by this test in its own process
// group, drilled from the host as an external target by `killdrill run --target`. One rest case passes
// with the verdicts of the same case simulated on docker (a fleet the run starts itself), the stand-in
// stays up with no kill engaged, and when the test stops it none of its containers is left.
// (`node bench/stand-in-paths.ts --runtime docker` drills every path case the same way: docs/benchmarks.md.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cleanEnv, startStandIn, type StandIn } from './support/stand-in.ts';
import { labelled, requireDockerFleetImage } from './support/docker.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO = join(ROOT, 'scenarios/paths/rest.yaml');
const CASE = 'kill.mode=cancel';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result { outcome: string; verdicts: Array<{ checker: string; valid: boolean | 'unknown' }> }

const dirs: string[] = [];
let standIn: StandIn | null = null;
beforeAll(async () => {
  await requireDockerFleetImage();
}, 600_000);
afterAll(async () => {
  await standIn?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function killdrillRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; result: Result }> {
  const outDir = tmp('kd-extd-run-');
  const child = spawn(process.execPath, [CLI, 'run', SCENARIO, '--case', CASE, '--out', outDir, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const runs = readdirSync(join(outDir, 'runs'));
  expect(runs, out).toHaveLength(1);
  return { code, out, result: JSON.parse(readFileSync(join(outDir, 'runs', runs[0], 'result.json'), 'utf8')) as Result };
}

const verdictSet = (r: Result) => r.verdicts.map((v) => [v.checker, v.valid]);

describe('an external target: the sim up stand-in on docker', () => {
  it(`${CASE} of scenarios/paths/rest.yaml passes against it with the verdicts of the same case simulated on docker`, { timeout: 600_000 }, async () => {
    const simulated = await killdrillRun(['--runtime', 'docker'], cleanEnv());
    expect(simulated.code, simulated.out).toBe(0);
    expect(simulated.result.outcome).toBe('passed');

    const runId = `standin-docker-${process.pid}-${Date.now()}`;
    standIn = await startStandIn({ dir: tmp('kd-extd-standin-'), bots: 48, runtime: 'docker', runId, sections: ['hosts'] });
    expect(labelled(runId).length).toBeGreaterThan(3);

    const external = await killdrillRun(['--target', standIn.target], standIn.env);
    expect(external.code, external.out).toBe(0);
    expect(external.result.outcome).toBe('passed');
    expect(verdictSet(external.result)).toEqual(verdictSet(simulated.result));

    // Still up, answering, nothing engaged; then the test stops it and none of its containers is left.
    expect(standIn.child.exitCode).toBeNull();
    const status = await fetch(`${standIn.ep.brokerUrl}/status`, { headers: { authorization: `Bearer ${standIn.ep.token}` } });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { engaged: unknown[] }).engaged).toEqual([]);
    await standIn.stop();
    for (let i = 0; i < 100 && labelled(runId).length; i++) await sleep(200);
    expect(labelled(runId)).toEqual([]);
  });
});
