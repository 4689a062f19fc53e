// The running fleet: starts every process in order, knows each one by name, stops them
// in reverse (daemons first, through their supervisors; redis last).
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { FleetPlan } from './fleet-plan.ts';
import { ManagedProcess, type ProcessSpec } from './managed-process.ts';
import { PidRegistry } from './pid-registry.ts';
import { MODULES, nodeArgv } from './paths.ts';
import { OWNER_ENV, ownerTag } from './reap.ts';
import { createLinks, removeLinks } from './links.ts';
import { readyChecks } from './ready.ts';
import { SupervisorClient } from '../supervisor/client.ts';
import { redisArgs, redisPing } from '../redis/redis-server.ts';
import type { DaemonSpec } from '../presets/index.ts';
import { apiserverReady, tcpAccepts } from './ready.ts';
import { AuthProvider } from '../auth/jwks.ts';

export class StartError extends Error {
  override name = 'StartError';
}

export type ProcessLauncher = (spec: ProcessSpec, onSpawn: (p: ManagedProcess, pids: number[]) => void) => ManagedProcess;

const STOP_GRACE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function daemonModule(d: DaemonSpec): string {
  return d.kind === 'broker' ? MODULES.broker : d.kind === 'operator' ? MODULES.operator : d.kind === 'watchdog' ? MODULES.watchdog : d.kind === 'agents' ? MODULES.agents : MODULES.bots;
}

export class Fleet {
  readonly plan: FleetPlan;
  readonly procs = new Map<string, ManagedProcess>();
  readonly supervisors = new Map<string, SupervisorClient>();
  readonly pids: PidRegistry;
  /** The auth provider whose JWKS sim up's control server serves (fleet-sim/auth/jwks.ts). */
  readonly auth = new AuthProvider();
  private readonly redisServer: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly launch: ProcessLauncher;
  /** An external proxy (proxyUrl) answered at start: this fleet's links on it are removed at stop(). */
  private externalAnswered = false;

  /** `launch` is how a component starts: a local process (default) or e.g. a container (fleet-sim/docker). */
  constructor(plan: FleetPlan, redisServer: string, launch: ProcessLauncher = (spec, onSpawn) => new ManagedProcess(spec, onSpawn)) {
    this.plan = plan;
    this.launch = launch;
    this.redisServer = redisServer;
    this.pids = new PidRegistry(plan.file.config.dataDir, plan.file.runId);
    this.env = { ...process.env, KILLDRILL_RUN_ID: plan.file.runId, [OWNER_ENV]: ownerTag() };
    const { file, fleetPath } = plan;
    const node = (name: string, kind: string, module: string, args: string[], host?: string): ProcessSpec => ({ name, kind, host, command: process.execPath, args: nodeArgv(module, args), env: this.env, logFile: this.logOf(name) });
    this.add({ name: 'redis', kind: 'redis', command: '/bin/sh', args: [MODULES.redisGuard, redisServer, ...redisArgs(file.redis.port, join(file.config.dataDir, 'redis'), file.net?.bind, !file.config.bugs.includes('kill-keys-not-persisted'))], env: this.env, logFile: this.logOf('redis'), reportsPid: true });
    // In the run's docker network the proxy binds 0.0.0.0 and may dial (only) the run's container aliases.
    const proxyNet = file.net ? ['--host', file.net.bind, '--network-names', Object.values(file.net.aliases).join(',')] : [];
    if (plan.proxyPort !== null) this.add(node('proxy', 'proxy', MODULES.proxy, ['--port', String(plan.proxyPort), '--json', ...proxyNet]));
    this.add(node('venue', 'venue', MODULES.venue, [fleetPath]));
    this.add(node('gateway', 'gateway', MODULES.gateway, [fleetPath]));
    if (file.ports.apiserver !== undefined) this.add(node('apiserver', 'apiserver', MODULES.apiserver, [fleetPath]));
    for (const h of file.topology.hosts) {
      this.add(node(`supervisor.${h.name}`, 'supervisor', MODULES.supervisor, [fleetPath, h.name], h.name));
      this.supervisors.set(h.name, new SupervisorClient(this.supervisorUrl(h.name), file.token));
    }
  }

  private add(spec: ProcessSpec): void {
    this.procs.set(spec.name, this.launch(spec, (p, pids) => {
      for (const pid of pids) this.pids.add({ name: p.spec.name, kind: p.spec.kind, host: p.spec.host, pid });
    }));
  }

  logOf(name: string): string {
    return join(this.plan.file.config.dataDir, 'logs', `${name}.log`);
  }

  supervisorUrl(host: string): string {
    return `http://127.0.0.1:${this.plan.file.ports.supervisors[host]}`;
  }

  /** Every module this fleet runs must exist before anything starts. */
  missingModules(): string[] {
    const need = [MODULES.venue, MODULES.gateway, MODULES.supervisor, ...this.plan.file.topology.hosts.flatMap((h) => h.daemons.map(daemonModule))];
    if (this.plan.proxyPort !== null) need.push(MODULES.proxy);
    if (this.procs.has('apiserver')) need.push(MODULES.apiserver);
    return [...new Set(need)].filter((m) => !existsSync(m));
  }

  private async waitFor(what: string, name: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    const p = this.procs.get(name);
    while (!(await check())) {
      if (p && !p.running) throw new StartError(`killdrill: ${what} exited while starting (${JSON.stringify(p.lastExit)}); see ${this.logOf(name)}`);
      if (Date.now() > end) throw new StartError(`killdrill: ${what} did not come up within ${timeoutMs / 1000} s; see ${this.logOf(name)}`);
      await sleep(100);
    }
  }

  async startProcess(name: string): Promise<void> {
    const p = this.procs.get(name)!;
    await p.start();
    const { file, plan } = { file: this.plan.file, plan: this.plan };
    if (name === 'redis') await this.waitFor('redis-server', name, () => redisPing(file.redis.port));
    else if (name === 'proxy') {
      await this.waitFor('the fault proxy', name, () => fetch(`${plan.proxyUrl}/version`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false));
      await createLinks(plan.proxyUrl, file.net?.links ?? file.links);
    } else if (name.startsWith('supervisor.')) {
      const host = name.slice('supervisor.'.length);
      const sup = this.supervisors.get(host)!;
      await this.waitFor(`supervisor of ${host}`, name, () => sup.daemons().then(() => true, () => false));
      await this.loadDaemons(host);
    } else if (name === 'gateway') await this.waitFor('gateway', name, () => tcpAccepts(file.ports.gatewayTcp, file.net ? 200 : 0));
    else if (name === 'apiserver') await this.waitFor('the apiserver', name, () => apiserverReady(file.ports.apiserver!, file.kubeconfig));
  }

  private async loadDaemons(host: string): Promise<void> {
    const h = this.plan.file.topology.hosts.find((x) => x.name === host)!;
    for (const d of h.daemons) if (!d.standby) await this.loadDaemon(host, d);
  }

  /** Loads (and so starts) one daemon into its host's supervisor; a standby replica's when it is scaled out. */
  async loadDaemon(host: string, d: DaemonSpec): Promise<Record<string, unknown>> {
    const sup = this.supervisors.get(host)!;
    {
      const args = d.kind === 'broker' || d.kind === 'operator' ? [this.plan.fleetPath] : [this.plan.fleetPath, host, d.name];
      // An agent worker's control port is fixed by the plan: the URL in sim up's line survives a restart.
      const port = d.kind === 'agents' ? this.plan.file.ports.agents?.[d.name] : undefined;
      if (port !== undefined) args.push('--port', String(port));
      const info = await sup.load({ name: d.name, module: daemonModule(d), args, env: {}, keepAlive: d.keepAlive, tags: d.tags });
      if (info.pid) this.pids.add({ name: d.name, kind: 'daemon', host, pid: info.pid });
      return info as unknown as Record<string, unknown>;
    }
  }

  /** Start everything in order and wait until the fleet is ready (or throw StartError). */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    // The apiserver before the supervisors: the operator daemon (control host) needs it.
    const order = ['redis', 'proxy', 'venue', 'gateway', 'apiserver', ...[...this.supervisors.keys()].map((h) => `supervisor.${h}`)];
    if (this.plan.proxyPort === null) {
      // Only a proxy that answered can hold links of ours to remove at stop().
      this.externalAnswered = await fetch(`${this.plan.proxyUrl}/version`, { signal: AbortSignal.timeout(5000) }).then((r) => (void r.arrayBuffer().catch(() => {}), true), () => false);
      await createLinks(this.plan.proxyUrl, this.plan.file.links).catch((e: unknown) => {
        throw new StartError(`killdrill: could not create the links on the external proxy ${this.plan.proxyUrl}: ${e instanceof Error ? e.message : String(e)}; check that it is a running Toxiproxy`);
      });
    }
    for (const name of order) if (this.procs.has(name)) await this.startProcess(name);
    const { checks, missingBots, close } = readyChecks(this.plan.file, (n) => this.logOf(n));
    try {
      const end = Date.now() + readyTimeoutMs;
      for (;;) {
        await this.refreshDaemonPids();
        const results = await Promise.all(checks.map((c) => c.check()));
        if (results.every(Boolean)) return;
        const dead = [...this.procs.values()].find((p) => !p.running);
        if (dead) throw new StartError(`killdrill: ${dead.spec.name} exited while the fleet was starting (${JSON.stringify(dead.lastExit)}); see ${dead.spec.logFile}`);
        if (Date.now() > end) {
          const why = checks.filter((_, i) => !results[i]).map((c) => {
            if (c.what !== 'bot phases') return `${c.what} never answered (see ${c.log})`;
            const miss = missingBots();
            const daemons = [...new Set(this.plan.file.topology.bots.filter((b) => miss.includes(b.slug)).map((b) => b.daemon))];
            return `${miss.length} bot(s) never wrote their phase (${miss.slice(0, 8).join(', ')}${miss.length > 8 ? ', …' : ''}; see ${daemons.map((d) => this.logOf(d)).join(', ')})`;
          });
          throw new StartError(`killdrill: the fleet was not ready within ${readyTimeoutMs / 1000} s: ${why.join('; ')}`);
        }
        await sleep(250);
      }
    } finally {
      close();
    }
  }

  async refreshDaemonPids(): Promise<void> {
    await Promise.all([...this.supervisors.entries()].map(async ([host, sup]) => {
      const list = await sup.daemons().catch(() => []);
      for (const d of list) if (d.pid) this.pids.add({ name: d.name, kind: 'daemon', host, pid: d.pid });
    }));
  }

  /**
   * Daemons (by their supervisors) and supervisors, then apiserver, gateway, venue, proxy, redis;
   * with an external proxy (proxyUrl), last, this fleet's links on it (their toxics go with them).
   */
  async stop(): Promise<void> {
    const sups = [...this.procs.values()].filter((p) => p.spec.kind === 'supervisor');
    await Promise.all(sups.map((p) => p.stop(STOP_GRACE_MS + 5000)));
    for (const name of ['apiserver', 'gateway', 'venue', 'proxy', 'redis']) await this.procs.get(name)?.stop(STOP_GRACE_MS);
    if (this.plan.proxyPort === null && this.externalAnswered) {
      const failed = await removeLinks(this.plan.proxyUrl, this.plan.file.links);
      if (failed.length) process.stderr.write(`killdrill: could not remove ${failed.length} link(s) from the external proxy ${this.plan.proxyUrl}: ${failed.join(', ')}; delete them (DELETE /proxies/<name>) or the next sim up on it replaces them\n`);
    }
  }
}
