// Which fault drills which of seed 003's circuit breakers (breaker-tripped, and the scenario schema's
// check that a scenario naming the breaker has its fault).
import type { BreakerName } from '../../contracts/index.ts';

export const BREAKER_FAULTS = { 'market-data': 'market-data-gap', volatility: 'price-shock', 'consecutive-losses': 'adverse-fills' } as const satisfies Record<BreakerName, string>;
