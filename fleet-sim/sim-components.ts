// `killdrill sim components`: the components a preset's fleet would have, started nothing.
import { parseOrExit } from '../lib/cli.ts';
import { simComponentsSpec } from './sim-components-spec.ts';
import { plannedComponents } from './planned-components.ts';
import type { PresetName } from './presets/index.ts';


const PRESETS = ['alphaswarm', 'principal', 'agents'] as const;

export function simComponents(argv: string[]): number {
  const p = parseOrExit(simComponentsSpec, argv);
  if (typeof p === 'number') return p;
  const preset = (p.values.preset as string | undefined) ?? 'alphaswarm';
  if (!(PRESETS as readonly string[]).includes(preset)) {
    process.stderr.write(`killdrill: --preset must be one of ${PRESETS.join(', ')}, not '${preset}'\n`);
    return 2;
  }
  const rawBots = p.values.bots as string | undefined;
  const bots = rawBots === undefined ? undefined : Number(rawBots);
  if (bots !== undefined && (!Number.isInteger(bots) || bots < 1)) {
    process.stderr.write(`killdrill: --bots must be a whole number of at least 1, not '${rawBots}'\n`);
    return 2;
  }
  let list;
  try {
    list = plannedComponents(preset as PresetName, bots);
  } catch (err) {
    process.stderr.write(`${(err as Error).message.startsWith('killdrill:') ? '' : 'killdrill: '}${(err as Error).message}\n`);
    return 2;
  }
  process.stdout.write(p.values.json ? `${JSON.stringify(list)}\n` : `${list.map((c) => `${c.kind.padEnd(10)} ${c.name}${c.host ? `  (${c.host})` : ''}`).join('\n')}\n`);
  return 0;
}
