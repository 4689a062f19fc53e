// The broker's public surface (docs/contracts.md §3).
export { startBroker, type BrokerHandle } from './broker-server.ts';
export { planLevel, DEFAULT_LEVEL1_ASSET, type HaltPlan, type PlannedStop } from './halt-plan.ts';
