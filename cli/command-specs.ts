// The option tables of every `killdrill` command, for `killdrill --help` and the README check.
// Loaded only when asked: each command module is imported lazily by main.ts.
import type { CommandSpec } from '../lib/cli.ts';

export async function commandSpecs(): Promise<CommandSpec[]> {
  const [{ runSpec }, { validateSpec }, { simUpSpec }, { simComponentsSpec }, { evidenceSpec }, { proxySpec }] = await Promise.all([
    import('../harness/cli/run-command.ts'),
    import('../harness/cli/validate-command.ts'),
    import('../fleet-sim/sim-up-spec.ts'),
    import('../fleet-sim/sim-components-spec.ts'),
    import('../harness/cli/evidence-command.ts'),
    import('../fault-proxy/main.ts'),
  ]);
  return [runSpec, validateSpec, simUpSpec, simComponentsSpec, evidenceSpec, proxySpec];
}
