// The Principal broker's two machines (seed 002): knox runs the broker, the watchdogs
// (sentinel, horus) and the agent daemons; tesseract runs the four trading daemons.
import type { BotClass, Group } from '../model.ts';
import { spreadBots, type DaemonSpec, type Slot, type Topology } from './topology.ts';

const TRADING_ASSETS = ['DOGE-USD', 'BTC-USD', 'ETH-USD', 'SOL-USD'];
const TRADING: Array<{ daemon: string; class: BotClass; group: Group }> = [
  { daemon: 'foresight', class: 'hft', group: 'bots' },
  { daemon: 'shiva', class: 'hft', group: 'bots' },
  { daemon: 'hermes', class: 'standard', group: 'quant-agents' },
  { daemon: 'leverage', class: 'standard', group: 'quant-agents' },
];
const AGENTS = ['oracle', 'scribe', 'herald', 'atlas'];

export const PRINCIPAL_DEFAULT_BOTS = 16;

export function principal(nBots = PRINCIPAL_DEFAULT_BOTS): Topology {
  const slots: Slot[] = [];
  for (let i = 0; i < 4; i++) {
    const t = TRADING[i];
    slots.push({ host: 'tesseract', daemon: t.daemon, fleet: 'trading', tenant: 'principal', group: t.group, class: t.class, capability: 'order-entry', slugPrefix: t.daemon, assets: TRADING_ASSETS });
    slots.push({ host: 'knox', daemon: AGENTS[i], fleet: 'agents', tenant: 'principal', group: 'agents', class: 'agent', capability: 'tool-calls', slugPrefix: AGENTS[i], assets: ['BTC-USD', 'ETH-USD'] });
  }
  const bots = spreadBots(nBots, slots);
  const used = new Set(bots.map((b) => b.daemon));
  const knox: DaemonSpec[] = [
    { name: 'broker', host: 'knox', kind: 'broker', tags: ['broker'], keepAlive: true },
    { name: 'sentinel', host: 'knox', kind: 'watchdog', tags: ['watchdog'], keepAlive: true },
    { name: 'horus', host: 'knox', kind: 'watchdog', tags: ['watchdog'], keepAlive: true },
    ...AGENTS.filter((d) => used.has(d)).map((d) => ({ name: d, host: 'knox', kind: 'bots' as const, tags: ['agents'], keepAlive: 'on-failure' as const })),
  ];
  const tesseract: DaemonSpec[] = TRADING.filter((t) => used.has(t.daemon)).map((t) => ({ name: t.daemon, host: 'tesseract', kind: 'bots' as const, tags: ['trading'], keepAlive: 'on-failure' as const }));
  return { preset: 'principal', hosts: [{ name: 'knox', daemons: knox }, { name: 'tesseract', daemons: tesseract }], bots, brokerHost: 'knox' };
}
