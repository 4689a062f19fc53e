// Which bots a lever must stop: the harness's specification (harness/checkers/spec/in-scope.ts),
// re-exported for the runner and its callers.
export { inScopeBots, type LeverScope, type RosterBot } from '../checkers/spec/in-scope.ts';
