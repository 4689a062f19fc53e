// Standby replicas for the scale-out fault (seed 001's HPA adding a pod): `config.scaleOut` names bot
// daemons; each gets a replica `<daemon>-2` on the same host with a copy of its bots (slugs
// `<slug>-r2`, runs `run-<slug>-r2`, everything else the same), not started with the fleet. The
// control API's `start` of the replica loads it into its host's supervisor (KeepAlive as the
// original); the broker lists its bots once they have written a phase.
import type { Topology } from './topology.ts';

export const REPLICA_SUFFIX = '-2';

export function withStandbyReplicas(t: Topology, daemons: readonly string[]): Topology {
  if (!daemons.length) return t;
  const hosts = t.hosts.map((h) => ({ ...h, daemons: [...h.daemons] }));
  const bots = [...t.bots];
  for (const name of daemons) {
    const host = hosts.find((h) => h.daemons.some((d) => d.name === name));
    const spec = host?.daemons.find((d) => d.name === name);
    if (!host || !spec || spec.kind !== 'bots') {
      const names = t.hosts.flatMap((h) => h.daemons.filter((d) => d.kind === 'bots').map((d) => d.name));
      throw new Error(`killdrill: scaleOut: '${name}' is not a bot daemon of the ${t.preset} fleet; use one of ${names.join(', ')}`);
    }
    const replica = `${name}${REPLICA_SUFFIX}`;
    host.daemons.push({ ...spec, name: replica, standby: true });
    for (const b of t.bots.filter((x) => x.host === host.name && x.daemon === name)) bots.push({ ...b, slug: `${b.slug}-r2`, run: `run-${b.slug}-r2`, daemon: replica, standby: true });
  }
  return { ...t, hosts, bots };
}
