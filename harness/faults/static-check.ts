// Fault targets checked before anything starts: the components a preset's fleet will have
// (docs/contracts.md §8 names, §12 links), so a fault aimed at a component, daemon, link or host the
// fleet does not have is rejected at load time (exit 2). The list is the simulator's own plan
// (fleet-sim/planned-components.ts: a pure function of preset and bot count, the one import of the
// simulator besides the CLI's — `killdrill sim components --json` prints the same list, and
// test/sim-components.test.ts proves it equals the live GET /components). It is imported, not asked of
// that command in a child process, because a dry run and `validate` start no process and write nothing
// (test/dry-run.test.ts runs them under Node's permission model). The runner checks again against the
// live fleet's GET /components.
import { plannedComponents, type PresetName } from '../../fleet-sim/planned-components.ts';
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import { faultByKind } from './catalog.ts';
import { needsKilldrillProxy } from './external-proxy.ts';
import type { ComponentInfo } from './types.ts';

export type { PresetName };

export function presetComponents(preset: PresetName, bots?: number): ComponentInfo[] {
  return plannedComponents(preset, bots).map((c): ComponentInfo => ({ ...c, pid: null, state: 'planned' }));
}

/**
 * Problems of a scenario's faults against its preset's fleet: `[index, message]` per bad fault.
 * With an external Toxiproxy (overrides.proxyUrl) a fault only killdrill's proxy can drive is one.
 */
export function checkFaultsAgainstPreset(
  fleet: { preset: PresetName; bots?: number; overrides?: { keyPrefix?: string; proxyUrl?: string } },
  faults: ReadonlyArray<{ kind: string; params?: Record<string, unknown> }>,
): Array<[number, string]> {
  let components: ComponentInfo[];
  try {
    components = presetComponents(fleet.preset, fleet.bots);
  } catch (err) {
    return faults.map((_, i): [number, string] => [i, (err as Error).message.replace(/^killdrill: /, '')]);
  }
  const keyPrefix = fleet.overrides?.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const out: Array<[number, string]> = [];
  faults.forEach((f, i) => {
    let problem: string | null;
    try {
      problem = faultByKind(f.kind).check(f.params ?? {}, components, keyPrefix) ?? (fleet.overrides?.proxyUrl ? needsKilldrillProxy(f) : null);
    } catch (err) {
      problem = err instanceof Error ? err.message.replace(/^killdrill: /, '') : String(err);
    }
    if (problem) out.push([i, problem]);
  });
  return out;
}
