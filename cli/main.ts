// `killdrill` command dispatcher, the composition root: each subcommand lives in its own module —
// run, validate and evidence in harness/cli, sim in fleet-sim, proxy in fault-proxy. It is the one
// place that reaches all of them; nothing imports it (.dependency-cruiser.cjs).
import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
      const { runMain } = await import('../harness/cli/run-command.ts');
      return runMain(args);
    }
    case 'evidence': {
      const { evidenceMain } = await import('../harness/cli/evidence-command.ts');
      return evidenceMain(args);
    }
    case 'validate': {
      const { validateMain } = await import('../harness/cli/validate-command.ts');
      return validateMain(args);
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
