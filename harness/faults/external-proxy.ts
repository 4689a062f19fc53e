// What an external Toxiproxy (fleet.overrides.proxyUrl, or an external target's toxiproxy.url) cannot
// drive: the faults that need a toxic only killdrill's fault proxy has (docs/faults.md).

/** Why this fault cannot run on a real Toxiproxy, or null when every network part of it can. */
export function needsKilldrillProxy(f: { kind: string; params?: Record<string, unknown> }): string | null {
  if (f.kind === 'pubsub-drop' && f.params?.form === 'channel')
    return "its channel form uses the redis_channel_drop toxic, which only killdrill's fault proxy has, not the external Toxiproxy named by proxyUrl; use form: silent (the whole subscriber link goes quiet), or drop proxyUrl";
  return null;
}

/**
 * Why these cases cannot run as asked on their external Toxiproxy (`killdrill:` lines; empty: they can):
 * a case on the docker runtime (its run network cannot reach a host proxy, docs/docker.md), or cases
 * side by side (--jobs > 1) on one Toxiproxy, whose link names (docs/contracts.md §12) would collide.
 */
export function externalProxyRefusals(cases: ReadonlyArray<{ file: string; id: string; proxyUrl?: string; runtime: string }>, jobs: number): string[] {
  const out: string[] = [];
  const on = cases.filter((c) => c.proxyUrl !== undefined);
  const label = (c: { file: string; id: string }) => `${c.file}${c.id === 'default' ? '' : ` [${c.id}]`}`;
  for (const c of on)
    if (c.runtime === 'docker') out.push(`killdrill: ${label(c)}: fleet.overrides.proxyUrl ${c.proxyUrl} names an external Toxiproxy, which the docker runtime's run network cannot reach (docs/docker.md); run it on the process runtime, or drop proxyUrl`);
  if (jobs > 1 && on.length > 1)
    out.push(`killdrill: --jobs ${jobs}: ${on.length} cases run on the external Toxiproxy ${[...new Set(on.map((c) => c.proxyUrl))].join(', ')}; side by side their links (same names) would collide there: leave --jobs out`);
  return out;
}
