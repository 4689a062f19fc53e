// The components alphaswarm's fleet has (12 or 24 bots), as a literal, for the faults' unit tests: the
// harness imports no simulator code. test/planned-components-fixture.test.ts proves it equals the
// simulator's plan (fleet-sim/planned-components.ts) and the live fleet's list.
import type { ComponentInfo } from './types.ts';

const PLANNED: Array<Omit<ComponentInfo, 'pid' | 'state'>> = [
  { name: 'redis', kind: 'redis' },
  { name: 'proxy', kind: 'proxy' },
  { name: 'venue', kind: 'venue' },
  { name: 'gateway', kind: 'gateway' },
  { name: 'apiserver', kind: 'apiserver' },
  { name: 'auth', kind: 'auth' },
  { name: 'supervisor.control', kind: 'supervisor', host: 'control' },
  { name: 'broker', kind: 'daemon', host: 'control' },
  { name: 'operator', kind: 'daemon', host: 'control' },
  { name: 'supervisor.node-a', kind: 'supervisor', host: 'node-a' },
  { name: 'market-making-a', kind: 'daemon', host: 'node-a' },
  { name: 'stat-arb-a', kind: 'daemon', host: 'node-a' },
  { name: 'paper-a', kind: 'daemon', host: 'node-a' },
  { name: 'agents-a', kind: 'daemon', host: 'node-a' },
  { name: 'rl-a', kind: 'daemon', host: 'node-a' },
  { name: 'workflows-a', kind: 'daemon', host: 'node-a' },
  { name: 'supervisor.node-b', kind: 'supervisor', host: 'node-b' },
  { name: 'market-making-b', kind: 'daemon', host: 'node-b' },
  { name: 'stat-arb-b', kind: 'daemon', host: 'node-b' },
  { name: 'paper-b', kind: 'daemon', host: 'node-b' },
  { name: 'agents-b', kind: 'daemon', host: 'node-b' },
  { name: 'rl-b', kind: 'daemon', host: 'node-b' },
  { name: 'workflows-b', kind: 'daemon', host: 'node-b' },
  { name: 'bots-redis-sub.node-a', kind: 'link' },
  { name: 'bots-redis-poll.node-a', kind: 'link' },
  { name: 'bots-gateway.node-a', kind: 'link' },
  { name: 'bots-redis-sub.node-b', kind: 'link' },
  { name: 'bots-redis-poll.node-b', kind: 'link' },
  { name: 'bots-gateway.node-b', kind: 'link' },
  { name: 'gateway-redis', kind: 'link' },
  { name: 'gateway-venue', kind: 'link' },
  { name: 'operator-redis', kind: 'link' },
  { name: 'broker-redis', kind: 'link' },
  { name: 'broker-hosts.control', kind: 'link' },
  { name: 'broker-hosts.node-a', kind: 'link' },
  { name: 'broker-hosts.node-b', kind: 'link' },
];

/** The list with no process (pid null, state planned), as the load-time check sees it. */
export const ALPHASWARM_COMPONENTS: ComponentInfo[] = PLANNED.map((c) => ({ ...c, pid: null, state: 'planned' }));
