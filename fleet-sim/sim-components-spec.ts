// The options of `killdrill sim components` (lib/cli.ts table), its own module so `killdrill --help` loads nothing of the fleet.
import type { CommandSpec } from '../lib/cli.ts';

export const simComponentsSpec: CommandSpec = {
  name: 'killdrill sim components',
  summary: "Print the components (names of docs/contracts.md §8: processes, daemons, supervisors, links) a preset's fleet would have, without starting it; fault targets name these.",
  options: {
    preset: { type: 'string', value: 'alphaswarm|principal|agents', help: 'the fleet preset (default: alphaswarm)' },
    bots: { type: 'string', value: 'N', help: "number of bots (default: the preset's)" },
    json: { type: 'boolean', help: 'print them as one JSON array' },
  },
  epilogue: 'exit codes: 0 printed, 2 invalid input',
};
