// One fleet component as a container (docker runtime), started with testcontainers and
// driven like a ManagedProcess so the Fleet, its start order and the control API stay as
// they are: start = create+start (or `docker start` of the stopped one), stop = `docker
// stop` (kept, so start brings it back on the same ports), kill = SIGKILL, pause/resume =
// `docker pause`/`unpause`, disconnect/connect = `docker network disconnect/connect` (a
// partition). Each container is on the run's own bridge network under its alias, its
// listening ports published on 127.0.0.1 only (host port = container port); or, as a
// fallback (KILLDRILL_DOCKER_NETWORK=host), host networking. Host pid namespace either way:
// pids reported by supervisors are host pids (the control API signals them).
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ManagedProcess, type ProcessSpec } from '../orchestrator/managed-process.ts';
import { MODULES } from '../orchestrator/paths.ts';
import { StartError } from '../orchestrator/fleet.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const { GenericContainer, getContainerRuntimeClient } = await import('testcontainers');

export const RUN_LABEL = 'killdrill.run';
export const OWNER_LABEL = 'killdrill.owner';
export const COMPONENT_LABEL = 'killdrill.component';

export interface ContainerOptions {
  image: string;
  runId: string;
  /** `pid:starttime` of the sim up that owns the run (the reaper's liveness test). */
  owner: string;
  /** Host directories mounted read-write at the same path (the run's data dir). */
  mounts: string[];
  /** The run's bridge network (absent: host networking). */
  network?: ContainerNetwork;
}

export interface ContainerNetwork {
  name: string;
  /** DNS alias on the network (besides the container name). */
  alias: string;
  /** Ports the component listens on, published as 127.0.0.1:P → P. */
  publish: number[];
}

/** GenericContainer with the host config testcontainers has no builder for. */
class FleetContainer extends GenericContainer {
  constructor(image: string, network?: ContainerNetwork) {
    super(image);
    this.hostConfig.PidMode = 'host';
    this.hostConfig.RestartPolicy = { Name: 'no' };
    this.hostConfig.Init = false;
    if (!network) {
      this.withNetworkMode('host');
      return;
    }
    // Only on the run's network (not also the default bridge, which withNetworkAliases would
    // leave it on), with its alias; ports on 127.0.0.1 only — nothing reachable from outside.
    this.withNetworkMode(network.name);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network.name]: { Aliases: [network.alias] } } };
    this.createOpts.ExposedPorts = Object.fromEntries(network.publish.map((p) => [`${p}/tcp`, {}]));
    this.hostConfig.PortBindings = Object.fromEntries(network.publish.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(p) }]]));
  }
}

/** The container command for a process spec: node modules under the image's node; redis without its guard. */
export function containerCommand(spec: ProcessSpec): string[] {
  const i = spec.args.indexOf(MODULES.redisGuard);
  if (spec.kind === 'redis' && i >= 0) return ['/usr/bin/redis-server', ...spec.args.slice(i + 2)];
  return ['/usr/local/bin/node', ...spec.args];
}

export function containerName(runId: string, component: string): string {
  return `killdrill-${runId}-${component}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

export class ContainerProcess extends ManagedProcess {
  private readonly opts: ContainerOptions;
  private id: string | null = null;
  private hostPid: number | null = null;
  private alive = false;
  private disconnected = false;
  private waiters: Array<() => void> = [];
  private readonly reportSpawn: (p: ManagedProcess, pids: number[]) => void;

  constructor(spec: ProcessSpec, onSpawn: (p: ManagedProcess, pids: number[]) => void, opts: ContainerOptions) {
    super(spec, onSpawn);
    this.opts = opts;
    this.reportSpawn = onSpawn;
  }

  override get pid(): number | null {
    return this.alive ? this.hostPid : null;
  }

  override get running(): boolean {
    return this.alive;
  }

  get containerId(): string | null {
    return this.id;
  }

  private env(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.spec.env)) if (v !== undefined && (k.startsWith('KILLDRILL_') || k.startsWith('NODE_'))) out[k] = v;
    return out;
  }

  override async start(): Promise<void> {
    if (this.alive) return;
    const client = await getContainerRuntimeClient();
    if (this.id) {
      await client.container.getById(this.id).start();
    } else {
      const log = createWriteStream(this.spec.logFile, { flags: 'a' });
      const started = await new FleetContainer(this.opts.image, this.opts.network)
        .withName(containerName(this.opts.runId, this.spec.name))
        .withLabels({ [RUN_LABEL]: this.opts.runId, [OWNER_LABEL]: this.opts.owner, [COMPONENT_LABEL]: this.spec.name })
        .withEnvironment(this.env())
        .withBindMounts(this.opts.mounts.map((m) => ({ source: m, target: m, mode: 'rw' as const })))
        .withCommand(containerCommand(this.spec))
        .withPullPolicy({ shouldPull: () => false })
        .withLogConsumer((s: Readable) => s.pipe(log))
        .start()
        .catch((err: unknown) => {
          log.end();
          throw new StartError(`killdrill: container for ${this.spec.name} did not start: ${err instanceof Error ? err.message : String(err)}; see ${this.spec.logFile} and docker logs`);
        });
      this.id = started.getId();
    }
    const c = client.container.getById(this.id);
    const info = await c.inspect();
    this.hostPid = info.State.Pid || null;
    this.alive = info.State.Running;
    this.state = 'running';
    void c.wait().then(
      (r: { StatusCode?: number }) => this.exited(r.StatusCode ?? null),
      () => this.exited(null),
    );
    if (!this.alive) this.exited(info.State.ExitCode);
    else this.reportSpawn(this, this.hostPid ? [this.hostPid] : []);
  }

  private exited(code: number | null): void {
    if (!this.alive) return;
    this.alive = false;
    this.lastExit = { code, signal: code !== null && code > 128 ? `signal ${code - 128}` : null };
    if (this.state !== 'stopped') this.state = 'exited';
    for (const w of this.waiters.splice(0)) w();
  }

  override waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.alive) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => (clearTimeout(t), resolve(true)));
    });
  }

  private docker(...args: string[]): void {
    try {
      execFileSync('docker', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`killdrill: docker ${args.join(' ')} failed: ${stderr || (err as Error).message}`);
    }
  }

  /** `docker stop -t grace` (unpausing first); the container is kept for a later start. */
  override async stop(graceMs: number): Promise<{ pid: number | null; signal: string | null }> {
    const pid = this.pid;
    this.state = 'stopped';
    if (!this.id || !this.alive) return { pid: null, signal: null };
    const c = (await getContainerRuntimeClient()).container.getById(this.id);
    if ((await c.inspect()).State.Paused) await c.unpause();
    await c.stop({ t: Math.ceil(graceMs / 1000) }).catch(() => {});
    await this.waitExit(5000);
    return { pid, signal: this.lastExit?.code === 137 ? 'SIGKILL' : 'SIGTERM' };
  }

  override async kill(): Promise<{ pid: number | null; signal: string }> {
    const pid = this.pid;
    if (this.id && this.alive) await (await getContainerRuntimeClient()).container.getById(this.id).kill({ signal: 'SIGKILL' }).catch(() => {});
    await this.waitExit(5000);
    return { pid, signal: 'SIGKILL' };
  }

  override pause(): { pid: number | null; signal: string } {
    if (this.id && this.alive) {
      this.docker('pause', this.id);
      this.state = 'paused';
    }
    return { pid: this.pid, signal: 'docker pause' };
  }

  /** On the run's network: `docker network disconnect` (a real partition: no route to or from any container, ports unreachable). */
  disconnect(): { network: string; container: string } {
    const net = this.requireNetwork();
    this.docker('network', 'disconnect', net.name, this.id!);
    this.disconnected = true;
    return { network: net.name, container: containerName(this.opts.runId, this.spec.name) };
  }

  /** `docker network connect` with the same alias (the heal of disconnect). */
  connect(): { network: string; container: string; alias: string } {
    const net = this.requireNetwork();
    if (this.disconnected) this.docker('network', 'connect', '--alias', net.alias, net.name, this.id!);
    this.disconnected = false;
    return { network: net.name, container: containerName(this.opts.runId, this.spec.name), alias: net.alias };
  }

  get isDisconnected(): boolean {
    return this.disconnected;
  }

  private requireNetwork(): ContainerNetwork {
    if (!this.opts.network) throw new Error(`killdrill: ${this.spec.name} runs with host networking (KILLDRILL_DOCKER_NETWORK=host); a network disconnect needs the run's bridge network`);
    if (!this.id) throw new Error(`killdrill: ${this.spec.name} has no container yet; start it first`);
    return this.opts.network;
  }

  override resume(): { pid: number | null; signal: string } {
    if (this.id && this.alive) {
      this.docker('unpause', this.id);
      this.state = 'running';
    }
    return { pid: this.pid, signal: 'docker unpause' };
  }
}
