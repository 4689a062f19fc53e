// `killdrill` command dispatcher, the composition root: each subcommand lives in its own module —
// run, validate and evidence in harness/cli, sim in fleet-sim, proxy in fault-proxy. It is the one
// place that reaches all of them; nothing imports it (.dependency-cruiser.cjs).
import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PresetName } from '../fleet-sim/planned-components.ts';

// A fleet is ~20 Node processes that each compile the same TypeScript at boot: V8's compile
// cache (shared on disk, inherited by every child through the env) halves their start-up CPU.
// A dry run (`run … --dry-run`) writes nothing, not even this cache.
if (!process.argv.slice(2).includes('--dry-run')) {
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'killdrill-node-compile-cache');
  enableCompileCache(process.env.NODE_COMPILE_CACHE);
}

const [command, ...args] = process.argv.slice(2);

/** `killdrill --help`: every command with every option (each command's own --help says more). */
async function topUsage(): Promise<string> {
  const { commandSpecs } = await import('./command-specs.ts');
  const { synopsis } = await import('../lib/cli.ts');
  return [
    'usage: killdrill <command> [options]     (killdrill <command> --help: its options in full)',
    '',
    ...(await commandSpecs()).map((s) => `  ${synopsis(s)}\n      ${s.summary}`),
    '',
    'exit codes: 0 all passed, 1 a scenario failed, 2 invalid input, 3 the fleet or infrastructure could not start, 130 interrupted',
  ].join('\n');
}

/**
 * The simulator's plan of a preset's components, for the harness's load-time fault check: wired here,
 * where the command composes the two, so the harness imports no simulator code. A preset the
 * simulator does not know is refused by the scenario schema first.
 */
function simulatorPlan(plan: (preset: PresetName, bots?: number) => ReadonlyArray<{ name: string; kind: string; host?: string }>) {
  return (preset: string, bots?: number) => plan(preset as PresetName, bots);
}

async function main(): Promise<number> {
  switch (command) {
    case 'sim': {
      const { simMain } = await import('../fleet-sim/index.ts');
      return simMain(args);
    }
    case 'proxy': {
      const { proxyMain } = await import('../fault-proxy/index.ts');
      return proxyMain(args);
    }
    case 'run': {
      const [{ runMain, defaultRunDeps }, { plannedComponents }] = await Promise.all([import('../harness/cli/run-command.ts'), import('../fleet-sim/planned-components.ts')]);
      return runMain(args, { ...defaultRunDeps, components: simulatorPlan(plannedComponents) });
    }
    case 'evidence': {
      const { evidenceMain } = await import('../harness/cli/evidence-command.ts');
      return evidenceMain(args);
    }
    case 'validate': {
      const [{ validateMain }, { plannedComponents }] = await Promise.all([import('../harness/cli/validate-command.ts'), import('../fleet-sim/planned-components.ts')]);
      return validateMain(args, undefined, { components: simulatorPlan(plannedComponents) });
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      (command === undefined ? process.stderr : process.stdout).write((await topUsage()) + '\n');
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`killdrill: unknown command '${command}'; run 'killdrill --help' for the list.\n`);
      return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`killdrill: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
