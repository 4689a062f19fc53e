// A fault is an object: inject() → ActiveFault, whose heal() undoes it (DESIGN.md §3).
import type { TargetEndpoints } from '../runtime/index.ts';

export interface FaultContext {
  fleet: TargetEndpoints;
  /** Components the fleet reported (GET controlUrl/components). */
  components: ComponentInfo[];
  /**
   * The fleet's kill-key prefix (the scenario's `fleet.overrides.keyPrefix`, else seed 000's): a fault
   * that names a key or the events channel derives it from this with contracts/ (never spells it).
   */
  keyPrefix: string;
}

export interface ComponentInfo {
  name: string;
  kind: string;
  host?: string;
  pid: number | null;
  state: string;
}

/** The bots a fault may be aimed at (the run's roster, GET /bots): what check() reads of them. */
export type FaultRoster = ReadonlyArray<{ slug: string; asset?: string; class?: string }>;

export interface ActiveFault {
  /** What was done, for the history. */
  detail: Record<string, unknown>;
  heal(): Promise<Record<string, unknown>>;
}

export interface Fault {
  kind: string;
  /**
   * Reject parameters or targets the fleet does not have, before anything starts. Returns a problem or null.
   * `keyPrefix`: the fleet's kill-key prefix, as in FaultContext. `roster`: the fleet's bots, when
   * known (the runner's check against the live fleet; not at load time).
   */
  check(params: Record<string, unknown>, components: ComponentInfo[], keyPrefix: string, roster?: FaultRoster): string | null;
  inject(ctx: FaultContext, params: Record<string, unknown>): Promise<ActiveFault>;
}
