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
  gateway: join(FLEET_SIM_DIR, 'gateway', 'main.ts'),
  venue: join(FLEET_SIM_DIR, 'venue', 'main.ts'),
  supervisor: join(FLEET_SIM_DIR, 'supervisor', 'main.ts'),
  redisGuard: join(FLEET_SIM_DIR, 'redis', 'guard.sh'),
  proxy: join(REPO_DIR, 'fault-proxy', 'main.ts'),
  parentWatch: join(FLEET_SIM_DIR, 'orchestrator', 'parent-watch.ts'),
} as const;

/**
 * V8 flags of every fleet node process (none today). Capping the young generation
 * (--max-semi-space-size=4) cut a 1,000-bot fleet's summed RSS by ~15 % but raised the p99
 * effect latency several-fold under load (bench/fleet.ts), so it is not used.
 */
export const FLEET_NODE_FLAGS: string[] = (process.env.KILLDRILL_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** argv for a fleet node process: it dies when its parent's stdin pipe closes. */
export function nodeArgv(module: string, args: string[]): string[] {
  return [...FLEET_NODE_FLAGS, '--import', MODULES.parentWatch, module, ...args];
}
