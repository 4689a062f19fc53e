// A "staging" stand-in for benchmarks: `killdrill sim up --json` started as an independent fleet in
// its own process group (killdrill run did not start it), and an external target file written from
// its JSON line (tokens only as environment-variable names). test/external-target.test.ts does the
// same inside a test.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { KUBE_NAMESPACE } from '../../contracts/index.ts';

export const CLI = join(import.meta.dirname, '..', '..', 'harness', 'cli', 'main.ts');

export interface StandIn {
  /** The target file. */
  target: string;
  /** The environment `killdrill run --target` needs (the token variables the file names). */
  env: NodeJS.ProcessEnv;
  startS: number;
  stop(): Promise<void>;
}

/** Starts the stand-in (`preset`, `bots` bots or the preset's own when null, process or docker runtime) with its files under `dir`. */
export async function startStandIn(dir: string, bots: number | null, runtime: 'process' | 'docker' = 'process', preset: 'alphaswarm' | 'principal' = 'alphaswarm'): Promise<StandIn> {
  const env = { ...process.env };
  delete env.KILLDRILL_PORT_BLOCK;
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ preset, ...(bots !== null ? { bots } : {}), seed: 1, dataDir: join(dir, 'data') }));
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [CLI, 'sim', 'up', '--json', '--config', join(dir, 'fleet.json'), '--runtime', runtime], { detached: true, stdio: ['pipe', 'pipe', 'inherit'], env });
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 30_000);
    await gone;
    clearTimeout(t);
  };
  const ep = await new Promise<Record<string, string> & { hosts?: Record<string, string> }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Record<string, string> & { hosts?: Record<string, string> }));
    child.once('exit', (c) => reject(new Error(`killdrill: the stand-in's sim up exited ${c} before its JSON line`)));
  });
  child.stdout!.on('data', () => {});
  const startS = (performance.now() - t0) / 1000;
  const target = join(dir, 'stand-in.yaml');
  writeFileSync(target, [
    'kind: external', 'name: bench-stand-in', 'environment: staging', 'allowDrill: true',
    `redis: { url: "${ep.redisUrl}" }`,
    `broker: { url: "${ep.brokerUrl}", tokenEnv: STANDIN_TOKEN, releaseTokenEnv: STANDIN_RELEASE_TOKEN }`,
    `ledger: { url: "${ep.venueUrl}/ledger" }`,
    `journal: { url: "${ep.brokerUrl}/journal", tokenEnv: STANDIN_TOKEN }`,
    `venue: { url: "${ep.venueUrl}" }`,
    'phases: { source: redis-stream }',
    `bots: { source: rest, url: "${ep.brokerUrl}/bots", tokenEnv: STANDIN_TOKEN }`,
    ...(ep.proxyUrl ? [`toxiproxy: { url: "${ep.proxyUrl}" }`] : []),
    ...(ep.kubeconfig ? [`kubernetes: { kubeconfig: "${ep.kubeconfig}", namespace: ${KUBE_NAMESPACE} }`] : []),
    // Its hosts' supervisors (same token as the broker's): the broker's stop claims can be checked.
    ...(ep.hosts && Object.keys(ep.hosts).length ? ['hosts:', '  tokenEnv: STANDIN_TOKEN', '  supervisors:', ...Object.entries(ep.hosts).map(([h, u]) => `    ${h}: "${u}"`)] : []),
    '',
  ].join('\n'));
  return { target, env: { ...env, STANDIN_TOKEN: ep.token, STANDIN_RELEASE_TOKEN: ep.releaseToken }, startS, stop };
}
