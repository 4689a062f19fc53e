// The external runtime: a target killdrill did not start (staging, a team's own fleet), reached only
// over the interface its target file names (docs/targets.md). start() starts nothing: it hands the
// runner the file's endpoints with the tokens read from the environment variables the file names;
// stop() stops nothing; the target never "exits" on killdrill's watch. What the file does not name
// (a control API, hosts' daemons, a data directory) is absent, never invented.
import type { FleetHandle, Runtime, TargetEndpoints, WireSource } from '../runtime/index.ts';
import type { ExternalTarget } from './schema.ts';

/** A token variable the target names is not set: exit 2, before anything starts. */
export class TargetEnvError extends Error {
  override name = 'TargetEnvError';
}

type Env = Record<string, string | undefined>;

/** The endpoints of an external target; throws a TargetEnvError naming every token variable that is unset or empty. */
export function externalEndpoints(t: ExternalTarget, env: Env, file = 'the target file'): TargetEndpoints {
  const missing: string[] = [];
  const read = (field: string, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const v = env[name];
    if (v === undefined || v === '') {
      missing.push(`${name} (${field})`);
      return undefined;
    }
    return v;
  };
  const source = (field: string, s: { url: string; tokenEnv?: string }): WireSource => {
    const token = read(`${field}.tokenEnv`, s.tokenEnv);
    return { url: s.url, ...(token !== undefined ? { token } : {}) };
  };
  const redisPassword = t.redis ? read('redis.passwordEnv', t.redis.passwordEnv) : undefined;
  const token = t.broker ? read('broker.tokenEnv', t.broker.tokenEnv) : undefined;
  const releaseToken = t.broker?.releaseTokenEnv ? read('broker.releaseTokenEnv', t.broker.releaseTokenEnv) : token;
  const ledger = source('ledger', t.ledger);
  const journal = source('journal', t.journal);
  const venue = t.venue ? source('venue', t.venue) : undefined;
  if (t.bots.source !== 'rest') throw new TargetEnvError(`killdrill: ${file}: bots.source '${t.bots.source}' is not wired yet; list the bots over REST (bots.source: rest, url)`);
  const bots = source('bots', t.bots);
  const hostsToken = t.hosts?.tokenEnv !== undefined ? read('hosts.tokenEnv', t.hosts.tokenEnv) : undefined;
  if (missing.length) {
    throw new TargetEnvError(`killdrill: ${file} names token variable(s) that are not set: ${missing.join(', ')}; export them (e.g. export ${missing[0].split(' ')[0]}=…) before killdrill run; nothing was started`);
  }
  if (!t.redis) throw new TargetEnvError(`killdrill: ${file}: the phase stream is read from the target's Redis, and the file names no redis.url`);
  const redis = new URL(t.redis.url);
  if (redisPassword !== undefined) redis.password = encodeURIComponent(redisPassword);
  return {
    redisUrl: redis.toString(),
    ...(t.broker ? { brokerUrl: t.broker.url.replace(/\/+$/, '') } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(releaseToken !== undefined ? { releaseToken } : {}),
    hosts: Object.fromEntries(Object.entries(t.hosts?.supervisors ?? {}).map(([h, u]) => [h, u.replace(/\/+$/, '')])),
    ...(hostsToken !== undefined ? { hostsToken } : {}),
    ...(t.toxiproxy ? { proxyUrl: t.toxiproxy.url.replace(/\/+$/, '') } : {}),
    ...(t.kubernetes ? { kubeconfig: expandHome(t.kubernetes.kubeconfig, env), kubeNamespace: t.kubernetes.namespace, ...(t.kubernetes.context ? { kubeContext: t.kubernetes.context } : {}) } : {}),
    reads: { bots, ledger, journal, ...(venue ? { venue } : {}) },
    external: { name: t.name, environment: t.environment },
  };
}

/** `~/…` in a kubeconfig path, as a shell would expand it (the example target writes ~/.kube/…). */
function expandHome(path: string, env: Env): string {
  const home = env.HOME;
  return path === '~' || path.startsWith('~/') ? (home ? `${home}${path.slice(1)}` : path) : path;
}

/** A Runtime over an external target. The tokens are read now, so a missing one stops the run before anything starts. */
export function externalRuntime(t: ExternalTarget, env: Env = process.env, file?: string): Runtime<TargetEndpoints> {
  const endpoints = externalEndpoints(t, env, file);
  return {
    name: `external:${t.name}`,
    async start(req): Promise<FleetHandle<TargetEndpoints>> {
      return {
        endpoints: { ...endpoints, runId: req.runId },
        exited: () => null,
        // killdrill never starts, stops or reads the disk of an external target.
        async stop() {},
      };
    },
  };
}
