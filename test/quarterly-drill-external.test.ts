// The seed-000 quarterly drill on one fleet against the "staging" stand-in (issue 12 "Done means"):
// `killdrill sim up --json` started here as an independent fleet in its own process group, an external
// target file written from its JSON line, and scenarios/drills/quarterly.yaml run with
// `--target` — CRD (through the kubeconfig and namespace the file names), then REST, then Redis, on
// that one fleet — passes by all three paths, with one merged evidence document that validates and
// names the external target; killdrill neither starts nor stops the stand-in and leaves no kill engaged.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runPids } from './support/sim-up-child.ts';
import { readDrill, runDrill, type Op } from './support/drill-run.ts';
import { KUBE_NAMESPACE } from '../contracts/index.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIO = join(ROOT, 'scenarios/drills/quarterly.yaml');

interface Line { redisUrl: string; brokerUrl: string; venueUrl: string; token: string; releaseToken: string; kubeconfig?: string }

const dirs: string[] = [];
let standIn: ChildProcess | null = null;
afterAll(async () => {
  if (standIn && standIn.exitCode === null && standIn.signalCode === null) await stopGroup(standIn);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function stopGroup(p: ChildProcess): Promise<void> {
  const gone = new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
  process.kill(-p.pid!, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 30_000);
  await gone;
  clearTimeout(timer);
}

/** This process's environment without a harness owner tag (the stand-in belongs to no killdrill run). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.KILLDRILL_HARNESS;
  delete env.KILLDRILL_RUN_ID;
  return { ...env, ...extra };
}

describe('the quarterly drill on one fleet, against the sim up stand-in', () => {
  it('passes by CRD, REST and Redis in one run on the stand-in, with one merged evidence document of the external target; the stand-in is left up, nothing engaged', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-drill-standin-'));
    dirs.push(dir);
    const config = join(dir, 'fleet.json');
    writeFileSync(config, JSON.stringify({ preset: 'alphaswarm', bots: 24, seed: 1, dataDir: join(dir, 'data') }));
    const runId = `standin-drill-${process.pid}-${Date.now()}`;
    standIn = spawn(process.execPath, [CLI, 'sim', 'up', '--json', '--config', config], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv({ KILLDRILL_RUN_ID: runId }) });
    let simErr = '';
    standIn.stderr!.on('data', (d: Buffer) => (simErr = (simErr + d.toString()).slice(-8000)));
    const ep = await new Promise<Line>((resolve, reject) => {
      createInterface({ input: standIn!.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Line));
      standIn!.once('exit', (c) => reject(new Error(`sim up exited ${c}: ${simErr}`)));
    });
    standIn.stdout!.on('data', () => {});
    const pidsBefore = runPids(runId);
    expect(ep.kubeconfig).toBeTruthy();

    const targetFile = join(dir, 'stand-in.yaml');
    writeFileSync(
      targetFile,
      [
        'kind: external',
        'name: sim-up-stand-in',
        'environment: staging',
        'allowDrill: true',
        `redis: { url: "${ep.redisUrl}" }`,
        `broker: { url: "${ep.brokerUrl}", tokenEnv: STANDIN_TOKEN, releaseTokenEnv: STANDIN_RELEASE_TOKEN }`,
        `ledger: { url: "${ep.venueUrl}/ledger" }`,
        `journal: { url: "${ep.brokerUrl}/journal", tokenEnv: STANDIN_TOKEN }`,
        `venue: { url: "${ep.venueUrl}" }`,
        'phases: { source: redis-stream }',
        `bots: { source: rest, url: "${ep.brokerUrl}/bots", tokenEnv: STANDIN_TOKEN }`,
        `kubernetes: { kubeconfig: "${ep.kubeconfig}", namespace: ${KUBE_NAMESPACE} }`,
        '',
      ].join('\n'),
    );

    const r = await runDrill([SCENARIO, '--target', targetFile], dirs, cleanEnv({ STANDIN_TOKEN: ep.token, STANDIN_RELEASE_TOKEN: ep.releaseToken }));
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
    expect(standIn.exitCode).toBeNull();
    expect(runPids(runId)).toEqual(expect.arrayContaining(pidsBefore));
    const status = await fetch(`${ep.brokerUrl}/status`, { headers: { authorization: `Bearer ${ep.token}` } });
    expect(((await status.json()) as { engaged: unknown[] }).engaged).toEqual([]);
    await stopGroup(standIn);
  });
});
