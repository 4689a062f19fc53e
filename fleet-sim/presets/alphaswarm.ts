// The alphaswarm platform (seeds 000, 001): fleets of bots over two nodes, a control host
// with the broker (REST control plane) and the KillSwitch operator (CRD path).
import type { BotClass, Group } from '../model.ts';
import { spreadBots, type DaemonSpec, type Slot, type Topology } from './topology.ts';

const FLEETS: Array<{ fleet: string; class: BotClass; group: Group; prefix: string; capability: string; assets: string[] }> = [
  { fleet: 'market-making', class: 'hft', group: 'bots', prefix: 'mm', capability: 'market-making', assets: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'SPY'] },
  { fleet: 'stat-arb', class: 'standard', group: 'quant-agents', prefix: 'sa', capability: 'order-entry', assets: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META'] },
  { fleet: 'paper', class: 'paper', group: 'paper', prefix: 'paper', capability: 'paper-trading', assets: ['AAPL', 'MSFT', 'SPY', 'QQQ'] },
  { fleet: 'agents', class: 'agent', group: 'agents', prefix: 'agent', capability: 'tool-calls', assets: ['AAPL', 'MSFT', 'NVDA', 'SPY'] },
  { fleet: 'rl', class: 'standard', group: 'rl', prefix: 'rl', capability: 'order-entry', assets: ['SPY', 'QQQ', 'IWM', 'DIA'] },
  { fleet: 'workflows', class: 'agent', group: 'workflows', prefix: 'wf', capability: 'tool-calls', assets: ['AAPL', 'SPY', 'QQQ', 'TSLA'] },
];
const NODES = ['node-a', 'node-b'];

export const ALPHASWARM_DEFAULT_BOTS = 24;

export function alphaswarm(nBots = ALPHASWARM_DEFAULT_BOTS): Topology {
  const slots: Slot[] = [];
  for (const f of FLEETS)
    for (const node of NODES)
      slots.push({ host: node, daemon: `${f.fleet}-${node.slice(-1)}`, fleet: f.fleet, tenant: 'tenant-a', group: f.group, class: f.class, capability: f.capability, slugPrefix: f.prefix, assets: f.assets });
  const bots = spreadBots(nBots, slots, ['tenant-a', 'tenant-b']);
  const control: DaemonSpec[] = [
    { name: 'broker', host: 'control', kind: 'broker', tags: ['broker'], keepAlive: true },
    { name: 'operator', host: 'control', kind: 'operator', tags: ['watchdog'], keepAlive: true },
  ];
  const hosts = [{ name: 'control', daemons: control }];
  for (const node of NODES) {
    const names = [...new Set(slots.filter((s) => s.host === node).map((s) => s.daemon))];
    const used = new Set(bots.filter((b) => b.host === node).map((b) => b.daemon));
    hosts.push({
      name: node,
      daemons: names.filter((d) => used.has(d)).map((d) => {
        const cls = slots.find((s) => s.daemon === d)!.class;
        return { name: d, host: node, kind: 'bots' as const, tags: [cls === 'agent' ? 'agents' : 'trading'], keepAlive: 'on-failure' as const };
      }),
    });
  }
  return { preset: 'alphaswarm', hosts, bots, brokerHost: 'control' };
}
