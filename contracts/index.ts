// The wire contract fleet-sim and the harness share (DESIGN.md §1): both import this, never each other.
export * from './kill-keys.ts';
export * from './clock.ts';
