// The docker runtime's side of `sim up --runtime docker`: the launcher that makes every
// fleet component a ContainerProcess, the removal of a run's containers and networks at
// the end, and the reaper of runs whose owning `sim up` is gone (even by SIGKILL).
import { execFileSync } from 'node:child_process';
import type { ManagedProcess, ProcessSpec } from '../orchestrator/managed-process.ts';
import { ownerTag, startTimeOf } from '../orchestrator/reap.ts';
import type { FleetFile } from '../fleet-file.ts';
import { ContainerProcess, OWNER_LABEL, RUN_LABEL, containerName, type ContainerNetwork } from './container-process.ts';

export type Launcher = (spec: ProcessSpec, onSpawn: (p: ManagedProcess, pids: number[]) => void) => ManagedProcess;

/** The fleet image: KILLDRILL_FLEET_IMAGE (the harness builds it), else built here. */
export async function fleetImage(log: (s: string) => void): Promise<string> {
  if (process.env.KILLDRILL_FLEET_IMAGE) return process.env.KILLDRILL_FLEET_IMAGE;
  const { ensureFleetImage } = await import('../../docker/build-fleet-image.ts');
  return ensureFleetImage(log);
}

/**
 * How the containers are networked: `bridge` (default: the run's own bridge network) or
 * `host` (KILLDRILL_DOCKER_NETWORK=host, the fallback: host networking, no partition by
 * network disconnect). Anything else is an error.
 */
export function networkMode(): 'bridge' | 'host' {
  const v = process.env.KILLDRILL_DOCKER_NETWORK ?? 'bridge';
  if (v !== 'bridge' && v !== 'host') throw new Error(`killdrill: KILLDRILL_DOCKER_NETWORK must be bridge or host, not '${v}'`);
  return v;
}

/** The run's bridge network name. */
export function runNetworkName(runId: string): string {
  return containerName(runId, 'net');
}

/** `docker network create` of the run's bridge network, labelled like its containers (so cleanup and the reaper remove it). */
export function createRunNetwork(runId: string): string {
  const name = runNetworkName(runId);
  docker(['network', 'create', '--driver', 'bridge', '--label', `${RUN_LABEL}=${runId}`, '--label', `${OWNER_LABEL}=${ownerTag()}`, name]);
  return name;
}

/** Ports each component listens on (published on 127.0.0.1 with the same number). */
export function publishedPorts(file: FleetFile, component: string): number[] {
  const p = file.ports;
  if (component === 'redis') return [file.redis.port];
  if (component === 'venue') return [p.venueHttp, p.venueTcp];
  if (component === 'gateway') return [p.gatewayTcp];
  if (component === 'apiserver') return p.apiserver !== undefined ? [p.apiserver] : [];
  if (component.startsWith('supervisor.')) {
    const host = component.slice('supervisor.'.length);
    // The broker is a daemon inside its host's container.
    const broker = file.topology.hosts.find((h) => h.name === host)?.daemons.some((d) => d.kind === 'broker');
    return [p.supervisors[host], ...(broker ? [p.broker] : [])];
  }
  return [];
}

/** `proxyPort`: the fault proxy's API port (published; its link listeners are dialled inside the network only). */
export function containerLauncher(image: string, runId: string, dataDir: string, file?: FleetFile, proxyPort?: number | null): Launcher {
  const owner = ownerTag();
  const net = file?.net;
  const network = (name: string): ContainerNetwork | undefined =>
    net && { name: net.name, alias: net.aliases[name] ?? name, publish: name === 'proxy' ? (proxyPort ? [proxyPort] : []) : publishedPorts(file, name) };
  return (spec, onSpawn) => new ContainerProcess(spec, onSpawn, { image, runId, owner, mounts: [dataDir], network: network(spec.name) });
}

function docker(args: string[]): string {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`killdrill: docker ${args.join(' ')} failed: ${stderr || (err as Error).message}; run docker/ensure-docker.sh`);
  }
}

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Containers and networks labelled with this run id (ids). */
export function runResources(runId: string): { containers: string[]; networks: string[] } {
  return {
    containers: lines(docker(['ps', '-aq', '--filter', `label=${RUN_LABEL}=${runId}`])),
    networks: lines(docker(['network', 'ls', '-q', '--filter', `label=${RUN_LABEL}=${runId}`])),
  };
}

/** Force-remove every container and network of a run. Returns how many were removed. */
export function removeRun(runId: string): number {
  const { containers, networks } = runResources(runId);
  if (containers.length) docker(['rm', '-f', '-v', ...containers]);
  if (networks.length) docker(['network', 'rm', ...networks]);
  return containers.length + networks.length;
}

function ownerAlive(tag: string): boolean {
  const [pid, start] = tag.split(':');
  return startTimeOf(Number(pid)) === start;
}

/** Remove containers and networks of runs whose owning `sim up` is gone. Returns the run ids reaped. */
export function reapDeadRuns(): string[] {
  let out: string;
  try {
    out = execFileSync('docker', ['ps', '-a', '--filter', `label=${RUN_LABEL}`, '--format', `{{.Label "${RUN_LABEL}"}} {{.Label "${OWNER_LABEL}"}}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
  } catch {
    return [];
  }
  const dead = new Set<string>();
  for (const l of lines(out)) {
    const [run, owner] = l.split(' ');
    if (run && (!owner || !ownerAlive(owner))) dead.add(run);
  }
  const nets = lines(execFileSync('docker', ['network', 'ls', '--filter', `label=${RUN_LABEL}`, '--format', `{{.Label "${RUN_LABEL}"}} {{.Label "${OWNER_LABEL}"}}`], { encoding: 'utf8', timeout: 30_000 }));
  for (const l of nets) {
    const [run, owner] = l.split(' ');
    if (run && (!owner || !ownerAlive(owner))) dead.add(run);
  }
  for (const run of dead) removeRun(run);
  return [...dead];
}
