// The "staging" stand-in, for the end-to-end tests and the benchmarks: `killdrill sim up --json` started
// as an independent fleet in its own process group (killdrill run did not start it, and belongs to none
// of its runs), an external target file written from its JSON line with the tokens only as the names of
// environment variables, and a stop by process group. test/external-target.test.ts,
// test/quarterly-drill-external.test.ts, test/preflight-dead-runs.test.ts and bench/ use it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { CLI, simUpChild } from './sim-up-child.ts';
import { KUBE_NAMESPACE } from '../../contracts/index.ts';

export { CLI };

/** The optional sections of the target file (kubernetes and hosts only when the JSON line has a kubeconfig, hosts). */
export type StandInSection = 'toxiproxy' | 'kubernetes' | 'hosts';

export interface StandInOptions {
  /** Where config.json, the fleet's data dir and the target file (stand-in.yaml) go. */
  dir: string;
  /** Bots of the fleet (default: the preset's own). */
  bots?: number;
  preset?: 'alphaswarm' | 'principal';
  /** `sim up --runtime` (default: sim up's own, process). */
  runtime?: 'process' | 'docker';
  /** KILLDRILL_RUN_ID of the stand-in's processes (default: sim up makes one). */
  runId?: string;
  /** The target's `name:` (default sim-up-stand-in). */
  name?: string;
  /** The optional sections to write (default none). */
  sections?: StandInSection[];
  /** Copy sim up's stderr to this process's as it comes (the benchmarks). */
  echoStderr?: boolean;
}

/** The stand-in's `--json` line (the fields the target file and the tests read). */
export interface StandInLine {
  runId: string;
  redisUrl: string;
  brokerUrl: string;
  venueUrl: string;
  token: string;
  releaseToken: string;
  dataDir: string;
  controlUrl: string;
  hosts: Record<string, string>;
  proxyUrl: string;
  kubeconfig?: string;
}

export interface StandIn {
  /** sim up itself, the leader of the stand-in's process group. */
  child: ChildProcess;
  ep: StandInLine;
  /** The target file. */
  target: string;
  /** The environment `killdrill run --target` needs: cleanEnv() and the token variables the file names. */
  env: NodeJS.ProcessEnv;
  /** Seconds from the spawn to the JSON line. */
  startS: number;
  /** SIGTERM to the process group (SIGKILL after 30 s), until sim up has exited; nothing when it already has. */
  stop(): Promise<void>;
}

/** This process's environment without a harness owner tag, run id or port block (the stand-in belongs to no killdrill run). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.KILLDRILL_HARNESS;
  delete env.KILLDRILL_RUN_ID;
  delete env.KILLDRILL_PORT_BLOCK;
  return { ...env, ...extra };
}

/** The external target file of a stand-in's line: endpoints from the line, tokens as STANDIN_TOKEN / STANDIN_RELEASE_TOKEN. */
export function standInTarget(ep: StandInLine, name: string, sections: StandInSection[]): string {
  const want = (s: StandInSection) => sections.includes(s);
  const hosts = Object.entries(ep.hosts);
  return [
    'kind: external',
    `name: ${name}`,
    'environment: staging',
    'allowDrill: true',
    `redis: { url: "${ep.redisUrl}" }`,
    `broker: { url: "${ep.brokerUrl}", tokenEnv: STANDIN_TOKEN, releaseTokenEnv: STANDIN_RELEASE_TOKEN }`,
    `ledger: { url: "${ep.venueUrl}/ledger" }`,
    `journal: { url: "${ep.brokerUrl}/journal", tokenEnv: STANDIN_TOKEN }`,
    `venue: { url: "${ep.venueUrl}" }`,
    'phases: { source: redis-stream }',
    `bots: { source: rest, url: "${ep.brokerUrl}/bots", tokenEnv: STANDIN_TOKEN }`,
    ...(want('toxiproxy') ? [`toxiproxy: { url: "${ep.proxyUrl}" }`] : []),
    ...(want('kubernetes') && ep.kubeconfig ? [`kubernetes: { kubeconfig: "${ep.kubeconfig}", namespace: ${KUBE_NAMESPACE} }`] : []),
    // Its hosts' supervisors (same token as the broker's): the broker's stop claims can be checked.
    ...(want('hosts') && hosts.length ? ['hosts:', '  tokenEnv: STANDIN_TOKEN', '  supervisors:', ...hosts.map(([h, u]) => `    ${h}: "${u}"`)] : []),
    '',
  ].join('\n');
}

/** Starts the stand-in and writes its target file; rejects (the stand-in stopped) when sim up exits before its JSON line. */
export async function startStandIn(o: StandInOptions): Promise<StandIn> {
  const preset = o.preset ?? 'alphaswarm';
  const t0 = performance.now();
  const sim = simUpChild<StandInLine>(
    { preset, ...(o.bots !== undefined ? { bots: o.bots } : {}), seed: 1 },
    { dir: o.dir, detached: true, env: cleanEnv(), runId: o.runId, args: o.runtime ? ['--runtime', o.runtime] : [], echoStderr: o.echoStderr },
  );
  const { child } = sim;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 30_000);
    await sim.exited;
    clearTimeout(timer);
  };
  let ep: StandInLine;
  try {
    ep = await sim.line;
  } catch (err) {
    await stop();
    throw new Error(`killdrill: the stand-in's ${(err as Error).message}`);
  }
  child.stdout.on('data', () => {});
  const startS = (performance.now() - t0) / 1000;
  const target = join(o.dir, 'stand-in.yaml');
  writeFileSync(target, standInTarget(ep, o.name ?? 'sim-up-stand-in', o.sections ?? []));
  return { child, ep, target, env: cleanEnv({ STANDIN_TOKEN: ep.token, STANDIN_RELEASE_TOKEN: ep.releaseToken }), startS, stop };
}
