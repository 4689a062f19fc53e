// The wire contract fleet-sim and the harness share (DESIGN.md §1): both import this, never each
// other. It imports nothing of the project but itself (.dependency-cruiser.cjs).
export * from './kill-keys.ts';
export * from './clock.ts';
export * from './records.ts';
export * from './resources.ts';
export * from './owner.ts';
export * from './bugs.ts';
