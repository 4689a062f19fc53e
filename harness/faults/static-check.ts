// Fault targets checked before anything starts: the components a simulated fleet of the scenario's
// preset will have (docs/contracts.md §8 names, §12 links), so a fault aimed at a component, daemon,
// link or host the fleet does not have is rejected at load time (exit 2). The list comes from the
// caller: the `killdrill` command (cli/, the composition root) passes the simulator's own plan
// (fleet-sim/planned-components.ts, a pure function of preset and bot count; `killdrill sim components
// --json` prints the same list, and test/sim-components.test.ts proves it equals the live GET
// /components). The harness imports no simulator code for it; a dry run and `validate` still start no
// process. Without a planner (a library caller that passes none) this check is not made here, and the
// runner's check against the live fleet's GET /components still refuses the fault before it is injected.
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import { faultByKind } from './catalog.ts';
import { needsKilldrillProxy } from './external-proxy.ts';
import type { ComponentInfo } from './types.ts';

/** The components a simulated fleet of `preset` with `bots` bots will have; throws `killdrill: …` for a bad preset or count. */
export type ComponentPlanner = (preset: string, bots?: number) => ReadonlyArray<{ name: string; kind: string; host?: string }>;

/**
 * Problems of a scenario's faults against its preset's fleet: `[index, message]` per bad fault.
 * With an external Toxiproxy (overrides.proxyUrl) a fault only killdrill's proxy can drive is one.
 */
export function checkFaultsAgainstPreset(
  fleet: { preset: string; bots?: number; overrides?: { keyPrefix?: string; proxyUrl?: string } },
  faults: ReadonlyArray<{ kind: string; params?: Record<string, unknown> }>,
  planner: ComponentPlanner | undefined,
): Array<[number, string]> {
  // Without the plan, only what needs no component list: a fault only killdrill's proxy can drive.
  if (!planner) return fleet.overrides?.proxyUrl ? faults.flatMap((f, i): Array<[number, string]> => {
    const p = needsKilldrillProxy(f);
    return p ? [[i, p]] : [];
  }) : [];
  let components: ComponentInfo[];
  try {
    components = planner(fleet.preset, fleet.bots).map((c): ComponentInfo => ({ ...c, pid: null, state: 'planned' }));
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
