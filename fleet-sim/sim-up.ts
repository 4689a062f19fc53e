// `killdrill sim up` (options: simUpSpec, sim-up-spec.ts):
// start the simulated fleet, print its endpoints (docs/contracts.md §8), run until
// SIGTERM/SIGINT or (when stdin is a pipe) stdin EOF, then stop everything it started.
import { fstatSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FleetConfigError, parseFleetConfig, type FleetConfig } from './config.ts';
import { redisUrlOf } from './fleet-file.ts';
import { findRedisServer, REDIS_NOT_FOUND } from './redis/redis-server.ts';
import { newRunId, planFleet } from './orchestrator/fleet-plan.ts';
import { Fleet, StartError, type ProcessLauncher } from './orchestrator/fleet.ts';
import { reapDeadRuns, reapOrphans } from './orchestrator/reap.ts';
import { HARNESS_ENV } from '../contracts/index.ts';
import { BUNDLED_MODULES, bundleModules } from './orchestrator/bundle.ts';
import { BUNDLES_ENV } from './orchestrator/paths.ts';
import { controlServer, listen } from './control/control-api.ts';
import { humanSummary } from './orchestrator/summary.ts';
import { parseOrExit, UsageError } from '../lib/cli.ts';
import { simUpSpec } from './sim-up-spec.ts';
import { haltFilePath } from './daemon/halt-file.ts';

function parseSimArgs(args: string[]): { raw: Record<string, unknown>; json: boolean; runtime: string } | number {
  const p = parseOrExit(simUpSpec, args);
  if (typeof p === 'number') return p;
  const v = p.values as Record<string, string | undefined>;
  let raw: Record<string, unknown> = {};
  const over: Record<string, unknown> = {};
  const runtime = v.runtime ?? 'process';
  if (runtime !== 'process' && runtime !== 'docker') throw new UsageError(`killdrill: --runtime must be process or docker, not '${runtime}'; run 'killdrill sim up --help'`);
  if (v.preset !== undefined) over.preset = v.preset;
  if (v.bots !== undefined) over.bots = Number(v.bots);
  if (v.bugs !== undefined) over.bugs = v.bugs.split(',').map((s) => s.trim()).filter(Boolean);
  if (v['poll-interval-s'] !== undefined) over.pollIntervalS = Number(v['poll-interval-s']);
  if (v.config !== undefined) {
    const file = v.config;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`killdrill: cannot read the fleet config ${file}: ${(err as Error).message}; give a JSON file with FleetConfig fields (docs/contracts.md §1)`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`killdrill: the fleet config ${file} must be a JSON object of FleetConfig fields (docs/contracts.md §1)`);
  }
  return { raw: { ...raw, ...over }, json: p.values.json === true, runtime };
}

function stdinIsPipe(): boolean {
  try {
    const s = fstatSync(0);
    return s.isFIFO() || s.isSocket();
  } catch {
    return false;
  }
}

/** Resolves when the fleet should stop: SIGTERM, SIGINT, or stdin EOF (when a pipe). */
function stopRequested(): Promise<string> {
  return new Promise((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
    if (stdinIsPipe()) {
      process.stdin.on('data', () => {});
      process.stdin.once('end', () => done('stdin closed'));
      process.stdin.once('error', () => done('stdin closed'));
    }
  });
}

export async function simUp(args: string[]): Promise<number> {
  let parsed: { raw: Record<string, unknown>; json: boolean; runtime: string };
  let config: FleetConfig;
  try {
    const p = parseSimArgs(args);
    if (typeof p === 'number') return p;
    parsed = p;
    config = parseFleetConfig(parsed.raw);
  } catch (err) {
    if (err instanceof UsageError || err instanceof FleetConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.runtime === 'docker' && config.preset === 'agents') {
    process.stderr.write("killdrill: the agents preset runs as processes only (its workers' control ports are not published from containers); drop --runtime docker\n");
    return 2;
  }
  if (parsed.runtime === 'docker' && (config.breakers.marketDataStaleMs > 0 || config.breakers.volRatioThreshold > 0 || config.breakers.maxConsecutiveLosses > 0)) {
    process.stderr.write("killdrill: the circuit breakers run as processes only (the bot daemons read the venue's market data, and the gateway its ledger, on 127.0.0.1, which a container does not reach); drop --runtime docker or set breakers.marketDataStaleMs, breakers.volRatioThreshold and breakers.maxConsecutiveLosses to 0\n");
    return 2;
  }
  const docker = parsed.runtime === 'docker' ? await import('./docker/run-containers.ts') : null;
  // In containers redis-server is the image's (docs/docker.md).
  const redisServer = docker ? '/usr/bin/redis-server' : findRedisServer();
  if (!redisServer) {
    process.stderr.write(`${REDIS_NOT_FOUND}\n`);
    return 3;
  }
  reapOrphans();
  // Started by a harness (it tags this sim up with itself): what a dead harness's runs left — their
  // sim up, supervisors, daemons, still stopping or stuck — found by run id and killed, before any
  // port or directory is chosen. Reported on the JSON line; the harness says so.
  const reaped = process.env[HARNESS_ENV] ? reapDeadRuns(HARNESS_ENV) : { runIds: [], pids: [] };
  docker?.reapDeadRuns();
  const stop = stopRequested();
  const runId = process.env.KILLDRILL_RUN_ID || newRunId();
  const dataDir = resolve(config.dataDir ?? mkdtempSync(join(tmpdir(), 'killdrill-sim-')));
  let network: string | undefined;
  try {
    // The docker runtime's own bridge network (docs/docker.md), unless host networking is asked for.
    if (docker && docker.networkMode() === 'bridge') {
      if (config.proxyUrl) throw new Error(`killdrill: an external proxyUrl (${config.proxyUrl}) cannot be reached from the run's docker network; drop proxyUrl or set KILLDRILL_DOCKER_NETWORK=host`);
      network = docker.createRunNetwork(runId);
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return err instanceof Error && /proxyUrl|KILLDRILL_DOCKER_NETWORK must/.test(err.message) ? 2 : 3;
  }
  const plan = await planFleet({ ...config, dataDir }, runId, network);
  let launch: ProcessLauncher | undefined;
  try {
    if (docker) launch = docker.containerLauncher(await docker.fleetImage((s) => process.stderr.write(`${s}\n`)), runId, dataDir, plan.file, plan.proxyPort);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    if (network) {
      try {
        docker?.removeRun(runId);
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
      }
    }
    return 3;
  }
  // Processes run their modules bundled (orchestrator/bundle.ts); containers run the source.
  if (!docker) process.env[BUNDLES_ENV] = JSON.stringify(await bundleModules(BUNDLED_MODULES, (msg) => process.stderr.write(`${msg}\n`)));
  const fleet = new Fleet(plan, redisServer, launch);
  const missing = fleet.missingModules();
  if (missing.length) {
    process.stderr.write(`killdrill: the fleet cannot start: missing module(s) ${missing.join(', ')}; check out a complete killdrill tree\n`);
    if (network) docker?.removeRun(runId);
    return 3;
  }
  const control = controlServer(fleet);
  let refresher: NodeJS.Timeout | undefined;
  let code = 0;
  try {
    await listen(control, plan.file.ports.control).catch((e: Error) => {
      throw new StartError(`killdrill: the control API could not listen on 127.0.0.1:${plan.file.ports.control}: ${e.message}; run sim up again (ports are chosen fresh)`);
    });
    const started = fleet.start();
    const first = await Promise.race([started.then(() => null), stop]);
    if (first !== null) {
      process.stderr.write(`killdrill: ${first} while the fleet was starting; stopping it\n`);
      await started.catch(() => {});
      return 3;
    }
    refresher = setInterval(() => void fleet.refreshDaemonPids(), 2000);
    const f = plan.file;
    const line = {
      runId,
      preset: f.config.preset,
      redisUrl: redisUrlOf(f.redis),
      brokerUrl: `http://127.0.0.1:${f.ports.broker}`,
      venueUrl: `http://127.0.0.1:${f.ports.venueHttp}`,
      token: f.token,
      releaseToken: f.releaseToken,
      controlUrl: `http://127.0.0.1:${f.ports.control}`,
      hosts: Object.fromEntries(f.topology.hosts.map((h) => [h.name, fleet.supervisorUrl(h.name)])),
      // The agents preset: each worker's control API (GET /calls, /runs, /queue), by daemon name.
      ...(f.ports.agents ? { agents: Object.fromEntries(Object.entries(f.ports.agents).map(([w, p]) => [w, `http://127.0.0.1:${p}`])) } : {}),
      dataDir,
      // Seed 003's EXECUTION_HALTED file every daemon watches (the file lever writes it).
      haltFile: haltFilePath(f.config),
      ...(f.kubeconfig ? { kubeconfig: f.kubeconfig } : {}),
      proxyUrl: plan.proxyUrl,
      // In the run's docker network the links are dialled by name inside it (their listeners are not published).
      links: f.net?.links ?? f.links,
      runtime: docker ? 'docker' : 'process',
      ...(f.net ? { network: f.net.name } : {}),
      ...(reaped.pids.length ? { reaped } : {}),
    };
    process.stdout.write(parsed.json ? `${JSON.stringify(line)}\n` : humanSummary(line, f.config.keyPrefix, f.redis.port));
    await stop;
  } catch (err) {
    if (!(err instanceof StartError)) throw err;
    process.stderr.write(`${err.message}\n`);
    code = 3;
  } finally {
    clearInterval(refresher);
    control.close();
    control.closeAllConnections();
    await fleet.stop();
    if (docker) {
      try {
        docker.removeRun(runId);
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
      }
    }
    // Nothing of ours may keep the process alive once the fleet is down.
    process.stdin.pause();
    (process.stdin as unknown as { unref?: () => void }).unref?.();
  }
  return code;
}
