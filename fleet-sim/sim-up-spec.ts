// The options of `killdrill sim up` (lib/cli.ts table): its parser, its --help, `killdrill --help`.
// Its own module so that listing the commands' options loads nothing of the fleet.
import type { CommandSpec } from '../lib/cli.ts';

export const simUpSpec: CommandSpec = {
  name: 'killdrill sim up',
  summary: 'Start the simulated fleet alone and print its endpoints (REST, Redis, ledger, kubeconfig); run until Ctrl-C, SIGTERM or (stdin a pipe) stdin EOF, then stop everything it started.',
  options: {
    preset: { type: 'string', value: 'alphaswarm|principal|agents', help: 'the fleet preset (default: alphaswarm; agents: the agent workers of seed 004, docs/agents.md)' },
    bots: { type: 'string', value: 'N', help: "number of bots, for agents of root runs (default: the preset's)" },
    bugs: { type: 'string', value: 'a,b', help: 'catalog bugs to plant, comma-separated (default: none)' },
    'poll-interval-s': { type: 'string', value: 'S', help: "the bots' kill-key poll interval in seconds (default: 5)" },
    config: { type: 'string', value: 'FILE', help: 'a JSON file of FleetConfig fields (docs/contracts.md §1); the options above override it' },
    runtime: { type: 'string', value: 'process|docker', help: 'run the fleet as processes or in containers (default: process)' },
    json: { type: 'boolean', help: 'print the endpoints as one JSON line (docs/contracts.md §8)' },
  },
  epilogue: 'exit codes: 0 stopped cleanly, 2 invalid input, 3 the fleet could not start',
};
