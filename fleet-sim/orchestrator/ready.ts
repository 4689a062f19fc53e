// Ready = broker GET /status 200, apiserver GET /readyz 200 (when the fleet has one), the operator's and each agent worker's ready line (when it has them), venue GET /health 200, gateway accepts TCP, and every bot
// of the topology has an entry in the phase hash. Each check names what it waits for.
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { phaseHashKey } from '../model.ts';
import type { FleetFile } from '../fleet-file.ts';
import { request } from '../../lib/http.ts';

export interface ReadyCheck {
  what: string;
  /** The log to read when it never comes up. */
  log: string;
  check(): Promise<boolean>;
}

async function httpOk(url: string, token?: string): Promise<boolean> {
  try {
    return (await request(url, { token: token || undefined, timeoutMs: 2000 })).status === 200;
  } catch {
    return false;
  }
}

/**
 * A TCP connect to 127.0.0.1:port succeeds. `settleMs` > 0: it must also stay open that
 * long — a port published by docker accepts (its proxy) even when nothing listens in the
 * container yet, and closes right after.
 */
export function tcpAccepts(port: number, settleMs = 0): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000 + settleMs, () => done(false));
    s.once('connect', () => (settleMs > 0 ? setTimeout(() => done(true), settleMs) : done(true)));
    s.once('error', () => done(false));
    s.once('close', () => done(false));
  });
}

/** A daemon's log holds its `{"ready":true…}` line. */
export function logHasReady(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes('{"ready":true');
  } catch {
    return false;
  }
}

/** The apiserver answers GET /readyz and has written its kubeconfig (it writes it before its ready line). */
export async function apiserverReady(port: number, kubeconfig: string | undefined): Promise<boolean> {
  return (await httpOk(`http://127.0.0.1:${port}/readyz`)) && (!kubeconfig || existsSync(kubeconfig));
}

export function readyChecks(file: FleetFile, logOf: (name: string) => string): { checks: ReadyCheck[]; missingBots: () => string[]; close: () => void } {
  const redis = new Redis({ host: file.redis.host, port: file.redis.port, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 200 });
  redis.on('error', () => {});
  // A standby replica's bots (the scale-out fault's) write no phase until it is started.
  let missing = file.topology.bots.filter((b) => !b.standby).map((b) => b.slug);
  const phases: ReadyCheck = {
    what: 'bot phases',
    log: '',
    async check() {
      try {
        if (redis.status === 'wait') await redis.connect();
        const have = new Set(await redis.hkeys(phaseHashKey(file.config.keyPrefix)));
        missing = file.topology.bots.filter((b) => !b.standby).map((b) => b.slug).filter((s) => !have.has(s));
        return missing.length === 0;
      } catch {
        return false;
      }
    },
  };
  const checks: ReadyCheck[] = [
    { what: `broker GET /status on 127.0.0.1:${file.ports.broker}`, log: logOf('broker'), check: () => httpOk(`http://127.0.0.1:${file.ports.broker}/status`, file.token) },
    { what: `venue GET /health on 127.0.0.1:${file.ports.venueHttp}`, log: logOf('venue'), check: () => httpOk(`http://127.0.0.1:${file.ports.venueHttp}/health`) },
    { what: `gateway TCP on 127.0.0.1:${file.ports.gatewayTcp}`, log: logOf('gateway'), check: () => tcpAccepts(file.ports.gatewayTcp, file.net ? 200 : 0) },
    phases,
  ];
  // The KillSwitch operator prints its ready line once it can engage (Redis connected, KillSwitches
  // listed): a lever pulled before that waited for its retry (the CRD path's 1 s budget missed).
  const operator = file.topology.hosts.flatMap((h) => h.daemons).find((d) => d.kind === 'operator');
  if (operator) checks.push({ what: `the KillSwitch operator's ready line in ${logOf(operator.name)}`, log: logOf(operator.name), check: async () => logHasReady(logOf(operator.name)) });
  // An agent worker prints its ready line once its runs are started (gateway connected, queue emptied).
  for (const d of file.topology.hosts.flatMap((h) => h.daemons).filter((x) => x.kind === 'agents'))
    checks.push({ what: `the agent worker's ready line in ${logOf(d.name)}`, log: logOf(d.name), check: async () => logHasReady(logOf(d.name)) });
  if (file.ports.apiserver !== undefined) checks.push({ what: `apiserver GET /readyz on 127.0.0.1:${file.ports.apiserver}`, log: logOf('apiserver'), check: () => apiserverReady(file.ports.apiserver!, file.kubeconfig) });
  return { checks, missingBots: () => missing, close: () => redis.disconnect() };
}
