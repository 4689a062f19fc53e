// What is refused before anything starts (exit 2), issue 12 items 2–3:
//   safety  — an external target must say allowDrill: true; a production one needs --confirm <environment>;
//   fit     — a case whose faults or bugs only a simulator can provide (a named component killed or
//             paused through its control API, a catalog bug planted in its code), a network fault
//             without the target's Toxiproxy, a lever whose endpoint the target does not name.
import type { ExternalTarget } from './schema.ts';

/** What the guard needs of one case (a RunPlan has it all). */
export interface CaseNeeds {
  file: string;
  caseId: string;
  bugs: string[];
  kill: { path: string; level?: number };
  faults: Array<{ id: string; kind: string; params: Record<string, unknown> }>;
}

/** Environments that need `--confirm <environment>`. */
export const CONFIRM_ENVIRONMENTS = /^(prod|production)(-|$)/;

/** allowDrill and --confirm: the problems (empty when the target may be drilled). */
export function safetyRefusals(t: ExternalTarget, file: string, confirm?: string): string[] {
  const out: string[] = [];
  if (t.allowDrill !== true) out.push(`killdrill: ${file}: target '${t.name}' says allowDrill: false, so no lever may be pulled on it; set allowDrill: true in the target file once its owners agree to the drill`);
  if (CONFIRM_ENVIRONMENTS.test(t.environment) && confirm !== t.environment) {
    out.push(
      confirm === undefined
        ? `killdrill: ${file}: target '${t.name}' is the ${t.environment} environment; a drill there pulls real kill switches: give --confirm ${t.environment} to go ahead`
        : `killdrill: ${file}: --confirm '${confirm}' does not match target '${t.name}''s environment '${t.environment}'; give --confirm ${t.environment}`,
    );
  } else if (confirm !== undefined && confirm !== t.environment) {
    out.push(`killdrill: ${file}: --confirm '${confirm}' does not match target '${t.name}''s environment '${t.environment}'; give the target's environment name, or leave --confirm out`);
  }
  return out;
}

const CONTROL_API = 'through the simulator\'s control API (POST /components/…), which an external target does not have: killdrill never starts, stops or pauses the processes of a system it did not start';
/** Fault kinds that only a simulator can provide, and why. */
const SIMULATOR_ONLY: Record<string, string> = {
  'process-kill': `kills a named component ${CONTROL_API}`,
  'process-term': `restarts a named component ${CONTROL_API}`,
  'scale-out': `starts a standby replica of a daemon ${CONTROL_API}`,
  'crash-loop': `kills a named daemon again and again ${CONTROL_API}`,
  'process-pause': `pauses a named component ${CONTROL_API}`,
  'redis-down': `stops the Redis component ${CONTROL_API}`,
  'operator-down': `stops the operator component ${CONTROL_API}`,
  'broker-restart': `restarts the broker component ${CONTROL_API}`,
  'auth-outage': `makes the simulator's auth provider answer 503 ${CONTROL_API}`,
  'redis-failover': `kills and restarts the Redis component ${CONTROL_API}`,
  'rogue-bot': `turns a bot daemon rogue ${CONTROL_API}`,
};
/** Network faults: toxics on named proxies, which need the target's own Toxiproxy. */
const LINK_FAULTS = new Set(['link-latency', 'link-down', 'pubsub-drop', 'partition']);

function faultProblem(t: ExternalTarget, f: CaseNeeds['faults'][number]): string | null {
  if (SIMULATOR_ONLY[f.kind]) return SIMULATOR_ONLY[f.kind];
  const link = LINK_FAULTS.has(f.kind) || (f.kind === 'flag-store-silent' && f.params.form === 'blackhole');
  if (f.kind === 'flag-store-silent' && !link) return `form 'freeze' SIGSTOPs the Redis process ${CONTROL_API}; use form: blackhole with the target's toxiproxy.url`;
  if (link) return t.toxiproxy ? null : 'is a network fault on a named proxy, and the target names no toxiproxy.url; add the Toxiproxy its links run through, or drop the fault';
  return 'is not known to be injectable into an external target';
}

const LEVER_NEEDS: Record<string, (t: ExternalTarget) => string | null> = {
  rest: (t) => (t.broker ? null : 'the rest path calls the broker\'s halt endpoints, and the target names no broker (url, tokenEnv)'),
  'broker-level': (t) => (t.broker ? null : 'the broker-level path calls the broker\'s /halt/level, and the target names no broker (url, tokenEnv)'),
  redis: (t) => (t.redis ? null : 'the redis path sets the kill key, and the target names no redis.url'),
  file: () => 'the file path writes the EXECUTION_HALTED file a simulated fleet mounts; an external target\'s ConfigMap is not wired yet',
  sigterm: () => `the sigterm path stops and starts the daemons ${CONTROL_API}`,
  crd: (t) =>
    t.kubernetes
      ? t.redis
        ? null
        : 'the crd path confirms the release by the kill key going from Redis, and the target names no redis.url'
      : 'the crd path creates a KillSwitch, and the target names no kubernetes (kubeconfig, context, namespace)',
};

/** Why this case cannot run against this external target (empty: it can). */
export function externalRefusals(t: ExternalTarget, c: CaseNeeds): string[] {
  const at = `killdrill: ${c.file}${c.caseId === 'default' ? '' : ` [${c.caseId}]`}:`;
  const out: string[] = [];
  if (c.bugs.length) out.push(`${at} fleet.bugs (${c.bugs.join(', ')}) are catalog bugs planted in the simulator's code; an external target runs its own code: drop fleet.bugs to drill '${t.name}'`);
  for (const f of c.faults) {
    const p = faultProblem(t, f);
    if (p) out.push(`${at} fault '${f.kind}' (${f.id}) ${p}`);
  }
  const need = LEVER_NEEDS[c.kill.path];
  const lever = need ? need(t) : `kill path '${c.kill.path}' is not known to work against an external target`;
  if (lever) out.push(`${at} ${lever}`);
  if (t.phases.source !== 'redis-stream') out.push(`${at} phases.source '${t.phases.source}' is not wired yet; the runner reads the phase stream (phases.source: redis-stream)`);
  if (t.bots.source !== 'rest') out.push(`${at} bots.source '${t.bots.source}' is not wired yet; list the bots over REST (bots.source: rest, url)`);
  return out;
}
