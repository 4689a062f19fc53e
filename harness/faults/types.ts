// A fault is an object: inject() → ActiveFault, whose heal() undoes it (DESIGN.md §3).
import type { FleetEndpoints } from '../runtime/index.ts';

export interface FaultContext {
  fleet: FleetEndpoints;
  /** Components the fleet reported (GET controlUrl/components). */
  components: ComponentInfo[];
}

export interface ComponentInfo {
  name: string;
  kind: string;
  host?: string;
  pid: number | null;
  state: string;
}

export interface ActiveFault {
  /** What was done, for the history. */
  detail: Record<string, unknown>;
  heal(): Promise<Record<string, unknown>>;
}

export interface Fault {
  kind: string;
  /** Reject parameters or targets the fleet does not have, before anything starts. Returns a problem or null. */
  check(params: Record<string, unknown>, components: ComponentInfo[]): string | null;
  inject(ctx: FaultContext, params: Record<string, unknown>): Promise<ActiveFault>;
}
