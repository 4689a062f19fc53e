// The fleet's components by name (docs/contracts.md §8) and what each action does to them.
import type { Fleet } from '../orchestrator/fleet.ts';
import { linkStates, setLinkEnabled } from '../orchestrator/links.ts';
import { HttpError } from '../orchestrator/http-util.ts';
import type { DaemonInfo } from '../supervisor/client.ts';
import { setRogue } from '../daemon/rogue.ts';
import { readFeedFaults, writeFeedFaults } from '../venue/market-data.ts';

export const ACTIONS = ['kill', 'pause', 'resume', 'restart', 'stop', 'start', 'disconnect', 'connect', 'rogue', 'obey', 'gap', 'feed', 'shock', 'calm', 'adverse', 'fair'] as const;
/** The venue's market-data feed (fleet-sim/venue/market-data.ts): gap/feed stop and resume its bars, shock/calm its volatility, adverse/fair its fill prices; `?assets=A,B` (absent: every asset). */
const FEED_ACTIONS = ['gap', 'feed', 'shock', 'calm', 'adverse', 'fair'] as const;

/** A component container on the run's docker network (fleet-sim/docker/container-process.ts): a partition is a network disconnect. */
interface NetworkMember {
  disconnect(): Record<string, unknown>;
  connect(): Record<string, unknown>;
  readonly isDisconnected: boolean;
}

function networkMember(p: unknown): NetworkMember | null {
  return p && typeof (p as NetworkMember).disconnect === 'function' && typeof (p as NetworkMember).connect === 'function' ? (p as NetworkMember) : null;
}
export type Action = (typeof ACTIONS)[number];

export interface Component {
  name: string;
  kind: string;
  host?: string;
  pid: number | null;
  state: string;
}

async function daemonsOf(fleet: Fleet): Promise<Array<DaemonInfo & { host: string }>> {
  const lists = await Promise.all([...fleet.supervisors.entries()].map(async ([host, sup]) => (await sup.daemons().catch(() => [])).map((d) => ({ ...d, host }))));
  return lists.flat();
}

export async function listComponents(fleet: Fleet): Promise<Component[]> {
  const out: Component[] = [];
  for (const p of fleet.procs.values()) out.push({ name: p.spec.name, kind: p.spec.kind, ...(p.spec.host ? { host: p.spec.host } : {}), pid: p.pid, state: networkMember(p)?.isDisconnected ? 'disconnected' : p.state });
  if (!fleet.procs.has('proxy')) out.push({ name: 'proxy', kind: 'proxy', pid: null, state: 'external' });
  out.push({ name: 'auth', kind: 'auth', pid: null, state: fleet.auth.outage ? 'outage' : 'serving' });
  const live = await daemonsOf(fleet);
  for (const h of fleet.plan.file.topology.hosts)
    for (const d of h.daemons) {
      const info = live.find((x) => x.name === d.name && x.host === h.name);
      out.push({ name: d.name, kind: 'daemon', host: h.name, pid: info?.pid ?? null, state: info?.state ?? (d.standby ? 'standby' : 'unknown') });
    }
  const links = await linkStates(fleet.plan.proxyUrl);
  for (const name of Object.keys(fleet.plan.file.links)) out.push({ name, kind: 'link', pid: null, state: name in links ? (links[name] ? 'enabled' : 'disabled') : 'unknown' });
  return out;
}

function signal(pid: number | null, sig: NodeJS.Signals): void {
  if (pid === null) throw new HttpError(409, 'the component is not running; start it first');
  process.kill(pid, sig);
}

async function daemonAction(fleet: Fleet, host: string, name: string, action: Action): Promise<Record<string, unknown>> {
  const sup = fleet.supervisors.get(host)!;
  // A standby replica (scale-out) is not loaded until its first start: that start loads it, as an HPA adds a pod.
  const spec = fleet.plan.file.topology.hosts.find((h) => h.name === host)!.daemons.find((d) => d.name === name)!;
  if (spec.standby && !(await sup.daemons()).some((d) => d.name === name)) {
    if (action === 'start') return { ok: true, scaledOut: true, ...(await fleet.loadDaemon(host, spec)) };
    throw new HttpError(409, `'${name}' is a standby replica that was never started (scale-out); start it first`);
  }
  const current = async () => (await sup.daemons()).find((d) => d.name === name)?.pid ?? null;
  switch (action) {
    case 'disconnect':
    case 'connect':
      throw new HttpError(400, `a daemon is a process inside its host; ${action} its host's container instead (supervisor.${host}, docker runtime)`);
    case 'kill':
    case 'start':
      return sup.action(name, action);
    case 'stop':
      // Stays down until start, also a KeepAlive daemon (operator-down). The supervisor's own
      // POST /daemons/<name>/stop keeps launchctl semantics (KeepAlive restarts it).
      return sup.action(name, 'disable');
    case 'pause': {
      const pid = await current();
      signal(pid, 'SIGSTOP');
      return { ok: true, pid, signal: 'SIGSTOP' };
    }
    case 'resume': {
      const pid = await current();
      signal(pid, 'SIGCONT');
      return { ok: true, pid, signal: 'SIGCONT' };
    }
    case 'rogue':
    case 'obey': {
      // The rogue-bot fault (fleet-sim/daemon/rogue.ts): the switch file, then SIGUSR2 so a running daemon reads it now.
      const isBots = fleet.plan.file.topology.bots.some((b) => b.host === host && b.daemon === name);
      if (!isBots) throw new HttpError(400, `'${name}' runs no bots; '${action}' is for a bot daemon (GET /components lists them)`);
      const file = setRogue(fleet.plan.file.config.dataDir, host, name, action === 'rogue');
      const pid = await current();
      if (pid !== null) process.kill(pid, 'SIGUSR2');
      return { ok: true, pid, rogue: action === 'rogue', file };
    }
    case 'gap':
    case 'feed':
    case 'shock':
    case 'calm':
    case 'adverse':
    case 'fair':
      throw new HttpError(400, `'${action}' is for the venue's market-data feed; '${name}' is a bot daemon`);
    case 'restart': {
      const stopped = await sup.action(name, 'disable');
      const started = await sup.action(name, 'start');
      return { ok: true, stopped, started, pid: started.pid };
    }
  }
}

/** A market-data fault on the venue's feed: the control file, then SIGUSR2 so the running venue reads it now. */
function feedAction(fleet: Fleet, action: Action, query: URLSearchParams): Record<string, unknown> {
  const raw = query.get('assets');
  const assets = raw === null || raw === '' || raw === '*' ? ['*'] : raw.split(',').map((a) => a.trim()).filter(Boolean);
  if (assets.some((a) => !/^[A-Za-z0-9_.-]{1,40}$/.test(a) && a !== '*')) throw new HttpError(400, `assets must be a comma-separated list of asset names (or absent for every asset), got '${raw!.slice(0, 60)}'`);
  const dataDir = fleet.plan.file.config.dataDir;
  const f = readFeedFaults(dataDir);
  const list = action === 'gap' || action === 'feed' ? 'gap' : action === 'shock' || action === 'calm' ? 'shock' : 'adverse';
  if (action === 'gap' || action === 'shock' || action === 'adverse') f[list] = [...new Set([...f[list], ...assets])];
  else f[list] = assets.includes('*') ? [] : f[list].filter((a) => !assets.includes(a));
  const file = writeFeedFaults(dataDir, f);
  const pid = fleet.procs.get('venue')!.pid;
  if (pid !== null) process.kill(pid, 'SIGUSR2');
  return { ok: true, pid, feed: f, file };
}

async function processAction(fleet: Fleet, name: string, action: Action, query: URLSearchParams): Promise<Record<string, unknown>> {
  const p = fleet.procs.get(name)!;
  if ((FEED_ACTIONS as readonly string[]).includes(action)) {
    if (p.spec.kind !== 'venue') throw new HttpError(400, `'${action}' is for the venue's market-data feed; '${name}' is a ${p.spec.kind}`);
    if (networkMember(p)) throw new HttpError(409, `the market-data faults run on the process runtime only (the venue container is not signalled); drop --runtime docker`);
    return feedAction(fleet, action, query);
  }
  switch (action) {
    case 'gap':
    case 'feed':
    case 'shock':
    case 'calm':
    case 'adverse':
    case 'fair':
      throw new HttpError(400, `'${action}' is for the venue's market-data feed`);
    case 'rogue':
    case 'obey':
      throw new HttpError(400, `'${action}' is for a bot daemon; '${name}' is a ${p.spec.kind}`);
    case 'disconnect':
    case 'connect': {
      const m = networkMember(p);
      if (!m) throw new HttpError(409, `'${action}' is a docker network action; this fleet runs ${name} as a local process (sim up --runtime docker has them; the partition fault uses proxy links here)`);
      try {
        return { ok: true, ...(action === 'disconnect' ? m.disconnect() : m.connect()) };
      } catch (err) {
        throw new HttpError(409, (err as Error).message);
      }
    }
    case 'kill':
      return { ok: true, ...(await p.kill()) };
    case 'pause':
      return { ok: true, ...p.pause() };
    case 'resume':
      return { ok: true, ...p.resume() };
    case 'stop':
      return { ok: true, ...(await p.stop(10_000)) };
    case 'start': {
      const was = p.running;
      if (!was) await fleet.startProcess(name);
      return { ok: true, pid: p.pid, alreadyRunning: was };
    }
    case 'restart': {
      const stopped = await p.stop(10_000);
      await fleet.startProcess(name);
      return { ok: true, stopped, pid: p.pid };
    }
  }
}

async function linkAction(fleet: Fleet, name: string, action: Action): Promise<Record<string, unknown>> {
  if (action === 'stop' || action === 'kill') {
    await setLinkEnabled(fleet.plan.proxyUrl, name, false);
    return { ok: true, link: name, enabled: false };
  }
  if (action === 'start' || action === 'resume') {
    await setLinkEnabled(fleet.plan.proxyUrl, name, true);
    return { ok: true, link: name, enabled: true };
  }
  if (action === 'restart') {
    await setLinkEnabled(fleet.plan.proxyUrl, name, false);
    await setLinkEnabled(fleet.plan.proxyUrl, name, true);
    return { ok: true, link: name, enabled: true };
  }
  throw new HttpError(400, `a link cannot be ${action === 'pause' ? 'paused' : `given '${action}'`}; use stop/start (disable/enable) or a link fault with a timeout toxic`);
}

/** The auth provider (fleet-sim/auth/jwks.ts): stop = its JWKS answers 503 (the auth-outage fault), start = serves again. */
function authAction(fleet: Fleet, action: Action): Record<string, unknown> {
  if (action === 'stop' || action === 'kill') fleet.auth.outage = true;
  else if (action === 'start' || action === 'resume') fleet.auth.outage = false;
  else throw new HttpError(400, `the auth provider takes stop (its JWKS answers 503) or start; not '${action}'`);
  return { ok: true, outage: fleet.auth.outage, served: fleet.auth.served, refused: fleet.auth.refused };
}

export async function controlComponent(fleet: Fleet, name: string, action: Action, query: URLSearchParams = new URLSearchParams()): Promise<Record<string, unknown>> {
  const base = { component: name, action };
  if (fleet.procs.has(name)) {
    const p = fleet.procs.get(name)!;
    return { ...base, kind: p.spec.kind, ...(await processAction(fleet, name, action, query)) };
  }
  if (name === 'auth') return { ...base, kind: 'auth', ...authAction(fleet, action) };
  if (name === 'proxy') throw new HttpError(409, 'the proxy is external (proxyUrl); this fleet does not control its process');
  const host = fleet.plan.file.topology.hosts.find((h) => h.daemons.some((d) => d.name === name));
  if (host) return { ...base, kind: 'daemon', host: host.name, ...(await daemonAction(fleet, host.name, name, action)) };
  if (name in fleet.plan.file.links) return { ...base, kind: 'link', ...(await linkAction(fleet, name, action)) };
  throw new HttpError(404, `no component '${name}'; GET /components lists them`);
}
