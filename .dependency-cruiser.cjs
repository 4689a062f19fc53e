// Import rules (issue 12 item 1, DESIGN.md §1), checked by `npm run depcruise` in `npm test`:
// the wire vocabulary fleet-sim and the harness share lives in contracts/, and the harness reaches
// fleet-sim only through it, with no exception. The `killdrill` command (cli/) is the one place that
// composes the two. test/import-rules.test.ts proves each rule fires.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'harness-not-to-fleet-sim',
      comment:
        'The harness imports fleet-sim only through contracts/ (the wire vocabulary both share), with no exception: import it from contracts/index.ts, move the shared definition there, or have the killdrill command (cli/, the composition root) pass the simulator\'s part in, as it passes the component plan.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^fleet-sim/' },
    },
    {
      name: 'cli-is-the-root',
      comment: 'cli/ (the killdrill command) composes harness, fleet-sim and fault-proxy; none of them imports it back (tests may).',
      severity: 'error',
      from: { path: '^(harness|fleet-sim|fault-proxy|contracts|lib|reports|bench)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'checkers-not-to-fleet-sim',
      comment: 'A checker never borrows a definition from the fleet it judges (DESIGN.md §1): no exception.',
      severity: 'error',
      from: { path: '^harness/checkers/' },
      to: { path: '^fleet-sim/' },
    },
    {
      name: 'checkers-not-reaching-fleet-sim',
      comment: 'Nor through a harness module a checker imports (history, spec …): the chain is shown.',
      severity: 'error',
      from: { path: '^harness/checkers/', pathNot: '\\.test\\.ts$' },
      to: { path: '^fleet-sim/', reachable: true },
    },
    {
      name: 'fleet-sim-not-to-harness',
      comment: 'The simulated fleet knows nothing of the harness that drills it; share through contracts/.',
      severity: 'error',
      from: { path: '^fleet-sim/' },
      to: { path: '^harness/' },
    },
    {
      name: 'contracts-self-contained',
      comment: 'contracts/ imports nothing of the project but contracts/ (node built-ins and packages are fine).',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { dependencyTypes: ['local'], pathNot: '^contracts/' },
    },
    {
      name: 'lib-self-contained',
      comment: 'lib/ (ports, HTTP and CLI helpers every part shares) imports nothing of the project but lib/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { dependencyTypes: ['local'], pathNot: '^lib/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file (a typo the rules above would silently miss).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out)/' },
    // Type-only imports count: a shared type is a shared definition.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    skipAnalysisNotInRules: true,
  },
};
