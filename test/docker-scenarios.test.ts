// The same incident on both runtimes agrees (same outcome, same checkers failing), and an
// interrupted `killdrill run --runtime docker` (SIGINT) leaves no container or network of
// its run. Needs a Docker daemon (docker/ensure-docker.sh): a missing one fails, never skips.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../harness/scenario/index.ts';
import { runScenarioCase } from '../harness/runner/run-scenario.ts';
import { silentProgress } from '../harness/runner/progress.ts';
import { labelled, requireDockerFleetImage } from './support/docker.ts';
import { dockerRuntime, processRuntime, type Runtime } from '../harness/runtime/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out');
const CLI = join(ROOT, 'cli', 'main.ts');
const INCIDENT = join(ROOT, 'scenarios', 'incidents', 'broker-amnesia.yaml');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await requireDockerFleetImage();
}, 600_000);

async function verdicts(runtime: Runtime): Promise<{ outcome: string; failing: string[]; checkers: string[] }> {
  const [c] = loadScenarioFile(INCIDENT).cases;
  const r = await runScenarioCase(c, { outDir: OUT, runtime, progress: silentProgress, signal: new AbortController().signal });
  const report = [`${r.outcome}: ${r.runDir}`, ...r.reasons].join('\n');
  expect(r.outcome, report).toBe('passed');
  const v = r.result.verdicts as Array<{ checker: string; valid: boolean }>;
  return { outcome: r.outcome, failing: v.filter((x) => !x.valid).map((x) => x.checker).sort(), checkers: v.map((x) => x.checker).sort() };
}

describe('broker-amnesia on both runtimes', () => {
  it('passes on docker and process with the same checkers failing', { timeout: 400_000 }, async () => {
    const docker = await verdicts(dockerRuntime);
    const proc = await verdicts(processRuntime);
    expect(docker).toEqual(proc);
    expect(docker.failing).toEqual(['halt-state-durable', 'restart-after-release', 'stop-claims-verified']);
    expect(labelled()).toEqual([]);
  });
});

describe('killdrill run --runtime docker interrupted', () => {
  it('SIGINT mid-run exits 130 and leaves no container or network of the run', { timeout: 300_000 }, async () => {
    expect(labelled()).toEqual([]);
    const child = spawn(process.execPath, [CLI, 'run', INCIDENT, '--runtime', 'docker', '--out', join(OUT, 'docker-sigint')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    for (let i = 0; i < 600 && !/warm-up|kill /.test(out); i++) await sleep(200);
    const seen = labelled();
    expect(seen.length, out).toBeGreaterThanOrEqual(7);
    child.kill('SIGINT');
    expect(await exited, out).toBe(130);
    expect(labelled()).toEqual([]);
  });
});
