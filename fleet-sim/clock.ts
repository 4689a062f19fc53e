// The one clock is part of the wire contract (contracts/clock.ts): the fleet re-exports it so its
// components keep importing it from here.
export * from '../contracts/clock.ts';
