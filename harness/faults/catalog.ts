// The fault catalog: every fault kind a scenario may name (docs/faults.md).
import { processKill, processTerm, processPause, redisDown, operatorDown, brokerRestart } from './process-faults.ts';
import { linkLatency, linkDown, pubsubDrop, partition } from './link-faults.ts';
import { rogueBot } from './rogue-bot.ts';
import { flagStoreSilent } from './flag-store-silent.ts';
import { crashLoop } from './crash-loop.ts';
import { scaleOut } from './scale-out.ts';
import { redisFailover } from './redis-failover.ts';
import { authOutage } from './auth-outage.ts';
import { adverseFills, marketDataGap, priceShock } from './market-data.ts';
import type { Fault } from './types.ts';

const CATALOG: Record<string, Fault> = Object.fromEntries(
  [processKill, processTerm, processPause, redisDown, operatorDown, brokerRestart, linkLatency, linkDown, pubsubDrop, partition, rogueBot, flagStoreSilent, crashLoop, scaleOut, redisFailover, authOutage, marketDataGap, priceShock, adverseFills].map((f) => [f.kind, f]),
);

export function faultByKind(kind: string): Fault {
  const f = CATALOG[kind];
  if (!f) throw new Error(`killdrill: fault '${kind}' is not available; known: ${Object.keys(CATALOG).join(', ')}`);
  return f;
}

export function knownFaultKinds(): string[] {
  return Object.keys(CATALOG);
}
