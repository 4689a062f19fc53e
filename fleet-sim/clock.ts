// The one clock is part of the wire contract (contracts/clock.ts): the fleet re-exports it so its
// components keep importing it from here.
export { calibrateEpochOffset, impliedRealtimeOffsetMs, nowMs } from '../contracts/index.ts';
