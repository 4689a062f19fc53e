// The harness's specification of a kill switch (DESIGN.md §1: a checker never borrows a definition
// from the fleet it judges): modes, budgets, in-scope rules. Wire formats come from contracts/.
export * from './modes.ts';
export * from './budgets.ts';
export * from './in-scope.ts';
