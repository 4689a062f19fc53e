// `killdrill` exit codes (DESIGN.md §4). Interrupted (SIGINT) uses the shell's 130.
export const EXIT = { passed: 0, failed: 1, invalid: 2, errored: 3, interrupted: 130 } as const;

/** The worst of a set of results: interrupted > invalid input > errored > failed > passed. */
export function exitCodeFor(outcomes: Array<{ outcome: string; invalidInput?: boolean }>): number {
  if (outcomes.some((o) => o.outcome === 'interrupted')) return EXIT.interrupted;
  if (outcomes.some((o) => o.invalidInput)) return EXIT.invalid;
  if (outcomes.some((o) => o.outcome === 'errored')) return EXIT.errored;
  if (outcomes.some((o) => o.outcome === 'failed')) return EXIT.failed;
  return EXIT.passed;
}
