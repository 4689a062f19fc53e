// A fleet's shape: hosts, their daemons (with tags and restart policy) and the bots inside them.
import type { Bot, BotClass, Group } from '../model.ts';

export type KeepAlive = true | false | 'on-failure';
/** `bots`: a bot daemon (fleet-sim/daemon); `agents`: an agent worker (fleet-sim/agents, seed 004). */
export type DaemonKind = 'broker' | 'operator' | 'watchdog' | 'bots' | 'agents';

export interface DaemonSpec {
  name: string;
  host: string;
  kind: DaemonKind;
  /** Tags used by halt levels: trading, agents, watchdog, broker. */
  tags: string[];
  keepAlive: KeepAlive;
  /** A standby replica (presets/scale-out.ts): not started with the fleet, only by the control API's start. */
  standby?: true;
}

export interface HostSpec {
  name: string;
  daemons: DaemonSpec[];
}

export interface Topology {
  preset: 'alphaswarm' | 'principal' | 'agents';
  hosts: HostSpec[];
  bots: Bot[];
  /** The host the broker runs on. */
  brokerHost: string;
}

/** A bot fleet template: one slot a bot can be generated into. */
export interface Slot {
  host: string;
  daemon: string;
  fleet: string;
  tenant: string;
  group: Group;
  class: BotClass;
  capability: string;
  slugPrefix: string;
  assets: string[];
}

/**
 * Spread `n` bots over `slots` round-robin; slugs are `<prefix>-<asset>` and,
 * when taken, `<prefix>-<asset>-2`, -3 … Deterministic for a given n.
 */
export function spreadBots(n: number, slots: Slot[], tenants?: string[]): Bot[] {
  const bots: Bot[] = [];
  const taken = new Map<string, number>();
  const perSlot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const si = i % slots.length;
    const s = slots[si];
    const k = perSlot.get(si) ?? 0;
    perSlot.set(si, k + 1);
    const asset = s.assets[(k + Math.floor(si / 2)) % s.assets.length];
    const base = `${s.slugPrefix}-${asset.toLowerCase()}`;
    const count = (taken.get(base) ?? 0) + 1;
    taken.set(base, count);
    const slug = count === 1 ? base : `${base}-${count}`;
    bots.push({
      slug,
      host: s.host,
      daemon: s.daemon,
      fleet: s.fleet,
      tenant: tenants ? tenants[i % tenants.length] : s.tenant,
      group: s.group,
      class: s.class,
      asset,
      capability: s.capability,
      run: `run-${slug}`,
    });
  }
  return bots;
}
