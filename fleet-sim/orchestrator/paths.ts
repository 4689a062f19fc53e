// Where the fleet's process modules live (absolute paths, for spawning).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FLEET_SIM_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = join(FLEET_SIM_DIR, '..');

export const MODULES = {
  broker: join(FLEET_SIM_DIR, 'broker', 'main.ts'),
  operator: join(FLEET_SIM_DIR, 'operator', 'main.ts'),
  apiserver: join(FLEET_SIM_DIR, 'apiserver', 'main.ts'),
  bots: join(FLEET_SIM_DIR, 'daemon', 'main.ts'),
  watchdog: join(FLEET_SIM_DIR, 'daemon', 'watchdog.ts'),
  agents: join(FLEET_SIM_DIR, 'agents', 'main.ts'),
  gateway: join(FLEET_SIM_DIR, 'gateway', 'main.ts'),
  venue: join(FLEET_SIM_DIR, 'venue', 'main.ts'),
  supervisor: join(FLEET_SIM_DIR, 'supervisor', 'main.ts'),
  redisGuard: join(FLEET_SIM_DIR, 'redis', 'guard.sh'),
  proxy: join(REPO_DIR, 'fault-proxy', 'main.ts'),
  parentWatch: join(FLEET_SIM_DIR, 'orchestrator', 'parent-watch.ts'),
} as const;

/** The data path: every effect goes through these (bots, agent workers, gateway, venue, fault proxy). */
const DATA_PATH: readonly string[] = [MODULES.bots, MODULES.agents, MODULES.gateway, MODULES.venue, MODULES.proxy];

/**
 * V8 flags of a fleet node process (bench/fleet.ts, alphaswarm 1,000 bots, 2 cores):
 * - the young generation capped (semi-space 4 MB on the data path, 1 MB elsewhere; V8's
 *   default grows to 16 MB): a 1,000-bot fleet's summed RSS ~2.9 → ~2.2 GB;
 * - off the data path (supervisors, broker, operator, apiserver), where no effect waits on
 *   them, `--optimize-for-size` and `--single-threaded-gc` (~20 processes share 2 cores:
 *   parallel GC helper threads only compete with the others). The data path keeps V8's
 *   concurrent marking: a single-threaded full GC of a large heap is one long pause.
 * `KILLDRILL_NODE_FLAGS` replaces them all (experiments: `KILLDRILL_NODE_FLAGS=' '` for none).
 */
export function fleetNodeFlags(module: string): string[] {
  const env = process.env.KILLDRILL_NODE_FLAGS;
  if (env !== undefined) return env.split(' ').filter(Boolean);
  return DATA_PATH.includes(module) ? ['--max-semi-space-size=4'] : ['--max-semi-space-size=1', '--optimize-for-size', '--single-threaded-gc'];
}

/** The env var that hands a fleet's module bundles down (orchestrator/bundle.ts): JSON module → bundle file. */
export const BUNDLES_ENV = 'KILLDRILL_BUNDLES';

/** The bundle of a module handed down in the environment, else the module itself. */
export function bundledOr(module: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = env[BUNDLES_ENV];
  if (!raw) return module;
  try {
    const bundle = (JSON.parse(raw) as Record<string, unknown>)[module];
    return typeof bundle === 'string' ? bundle : module;
  } catch {
    return module;
  }
}

/** argv for a fleet node process (its bundle when there is one): it dies when its parent's stdin pipe closes. */
export function nodeArgv(module: string, args: string[]): string[] {
  return [...fleetNodeFlags(module), '--import', MODULES.parentWatch, bundledOr(module), ...args];
}
