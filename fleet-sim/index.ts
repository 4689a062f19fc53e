// fleet-sim's public surface: the `sim` command and the cleanup of leftover fleet processes.
import { simUp } from './sim-up.ts';

export { reapRun, reapOrphans, reapDeadRuns, runProcesses, ownerTag } from './orchestrator/reap.ts';
export { parseFleetConfig, FleetConfigSchema, FleetConfigError, type FleetConfig } from './config.ts';

/** `killdrill sim <subcommand>`; only `up` so far. */
export async function simMain(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'up') return simUp(rest);
  process.stderr.write(`killdrill: unknown sim subcommand '${sub ?? ''}'; use 'killdrill sim up [--preset P] [--json]'\n`);
  return 2;
}
