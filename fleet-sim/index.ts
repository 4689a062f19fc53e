// fleet-sim's public surface: the `sim` command and the cleanup of leftover fleet processes.
import { simUp } from './sim-up.ts';
import { simUpSpec } from './sim-up-spec.ts';
import { simComponents } from './sim-components.ts';
import { simComponentsSpec } from './sim-components-spec.ts';
import { usage } from '../lib/cli.ts';

export { simUpSpec, simComponentsSpec };

export { reapRun, reapOrphans, reapDeadRuns, runProcesses, ownerTag } from './orchestrator/reap.ts';
export { parseFleetConfig, FleetConfigSchema, FleetConfigError, type FleetConfig } from './config.ts';

/** `killdrill sim <subcommand>`: `up` starts a fleet, `components` lists what one would have. */
export async function simMain(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'up') return simUp(rest);
  if (sub === 'components') return simComponents(rest);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`killdrill sim has two subcommands, up and components:\n\n${usage(simUpSpec)}\n\n${usage(simComponentsSpec)}\n`);
    return 0;
  }
  process.stderr.write(`killdrill: unknown sim subcommand '${sub ?? ''}'; use 'killdrill sim up' or 'killdrill sim components' (options: 'killdrill sim up --help')\n`);
  return 2;
}
