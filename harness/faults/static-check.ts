// Fault targets checked before anything starts: the components a preset's fleet will have
// (docs/contracts.md §8 names, §12 links), asked of the simulator through its command —
// `killdrill sim components --json`, as a user would; the harness imports nothing of it — so a
// fault aimed at a component, daemon, link or host the fleet does not have is rejected at load
// time (exit 2). One answer per preset and bot count, kept for the process. The runner checks
// again against the live fleet's GET /components.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_KEY_PREFIX } from '../../contracts/index.ts';
import { faultByKind } from './catalog.ts';
import { needsKilldrillProxy } from './external-proxy.ts';
import type { ComponentInfo } from './types.ts';

export type PresetName = 'alphaswarm' | 'principal' | 'agents';

const CLI = join(import.meta.dirname, '..', 'cli', 'main.ts');
const planned = new Map<string, ComponentInfo[]>();

export function presetComponents(preset: PresetName, bots?: number): ComponentInfo[] {
  const key = `${preset}:${bots ?? ''}`;
  const known = planned.get(key);
  if (known) return known;
  let out: string;
  try {
    out = execFileSync(process.execPath, [CLI, 'sim', 'components', '--json', '--preset', preset, ...(bots !== undefined ? ['--bots', String(bots)] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`killdrill: the simulator could not list the components of a ${preset} fleet${bots !== undefined ? ` of ${bots} bots` : ''}: ${(e.stderr ?? e.message).trim()}`);
  }
  const list = (JSON.parse(out) as Array<{ name: string; kind: string; host?: string }>).map((c): ComponentInfo => ({ ...c, pid: null, state: 'planned' }));
  planned.set(key, list);
  return list;
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
