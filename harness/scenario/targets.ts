// A sensible kill target per scope and preset, so a matrix over kill.scope needs no extra data.
// Order of precedence for a case's target (see resolveTarget):
//   1. kill.target, when the case's scope is the scope written in kill.scope (or the matrix sets kill.target);
//   2. kill.targets[scope];
//   3. DEFAULT_TARGETS[preset][scope].
// The platform scope's target is always 'platform'.
import type { Scope } from '../../contracts/index.ts';

export const DEFAULT_TARGETS: Record<'alphaswarm' | 'principal' | 'agents', Record<Scope, string>> = {
  alphaswarm: {
    platform: 'platform',
    bot: 'mm-aapl',
    fleet: 'market-making',
    tenant: 'tenant-a',
    group: 'bots',
    asset: 'AAPL',
    capability: 'market-making',
    run: 'run-mm-aapl',
  },
  principal: {
    platform: 'platform',
    bot: 'foresight-doge-usd',
    fleet: 'trading',
    tenant: 'principal',
    group: 'bots',
    asset: 'DOGE-USD',
    capability: 'order-entry',
    run: 'run-foresight-doge-usd',
  },
  // The agent fleet (fleet-sim/presets/agents.ts): a run's own capability is `<feature>-agent` (a
  // tool's capability or `llm` gates only those calls, which no bot phase shows; docs/agents.md).
  agents: {
    platform: 'platform',
    bot: 'ag-acme-support-run',
    fleet: 'support',
    tenant: 'acme',
    group: 'agents',
    asset: 'run',
    capability: 'support-agent',
    run: 'run-ag-acme-support-run',
  },
};

export interface TargetInputs {
  preset: 'alphaswarm' | 'principal' | 'agents';
  /** The scope written in the file (before the matrix). */
  fileScope: Scope;
  /** This case's scope. */
  scope: Scope;
  target?: string;
  targetFromMatrix: boolean;
  targets?: Partial<Record<Scope, string>>;
}

export function resolveTarget(t: TargetInputs): string {
  if (t.scope === 'platform') return 'platform';
  if (t.target !== undefined && (t.targetFromMatrix || t.scope === t.fileScope)) return t.target;
  return t.targets?.[t.scope] ?? DEFAULT_TARGETS[t.preset][t.scope];
}
