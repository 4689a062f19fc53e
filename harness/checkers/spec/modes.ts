// Which effect kinds each kill mode lets leave while killed: the harness's own reading of the
// seeds, written here once and never borrowed from the fleet it judges (DESIGN.md §1, §3).
// - seed 000: `cancel | flatten | freeze`; cancel pulls the working orders, flatten also closes
//   the position, freeze stops and sends nothing.
// - DESIGN.md §3: "cancels are allowed in cancel/flatten, position-closing orders in flatten".
// - seed 003: the boundary refuses new submissions once the kill is on; only the mode's work passes.
export type KillMode = 'cancel' | 'flatten' | 'freeze';

export const KILL_MODES: readonly KillMode[] = ['cancel', 'flatten', 'freeze'];

/** Effect kinds a killed bot may still send, per mode. Every other kind (order, action, …) is forbidden. */
export const ALLOWED_WHILE_KILLED: Readonly<Record<KillMode, readonly string[]>> = {
  cancel: ['cancel'],
  flatten: ['cancel', 'close'],
  freeze: [],
};

export function modeAllows(mode: KillMode, kind: string): boolean {
  return ALLOWED_WHILE_KILLED[mode].includes(kind);
}

/** What a broker halt level does to the mode of the bots it stops (seed 002; docs/contracts.md §3). */
export const LEVEL_MODE: Readonly<Record<number, KillMode>> = { 1: 'flatten', 2: 'cancel', 3: 'cancel', 4: 'freeze' };

export function asKillMode(m: string): KillMode | null {
  return (KILL_MODES as readonly string[]).includes(m) ? (m as KillMode) : null;
}
