// Which bots a lever must stop, from the roster (bots with their daemon's tags): the harness's
// own reading of the scopes of seeds 000 (bot / fleet / platform) and 004 (tenant, capability,
// run), the REST groups of the six halt endpoints, and the halt levels of seed 002:
// level 1 halts one asset (DOGE-USD by default), level 2 all trading (the `trading` daemons),
// level 3 the whole fleet but the watchdogs (sentinel, horus), level 4 everything that is left.
export interface RosterBot {
  slug: string;
  host: string;
  daemon: string;
  fleet: string;
  tenant: string;
  group: string;
  class: string;
  asset: string;
  capability?: string;
  run?: string;
  tags?: string[];
}

export interface LeverScope {
  path: string;
  scope: string;
  target: string;
  level?: number;
  asset?: string;
}

/** Seed 002's level 1 example asset, the broker's default when no asset is given. */
export const LEVEL1_DEFAULT_ASSET = 'DOGE-USD';

export function inScopeBots(roster: RosterBot[], k: LeverScope): RosterBot[] {
  if (k.path === 'broker-level') {
    const level = k.level ?? 0;
    if (level === 1) return roster.filter((b) => b.asset === (k.asset ?? LEVEL1_DEFAULT_ASSET));
    if (level === 2) return roster.filter((b) => (b.tags ?? []).includes('trading'));
    if (level >= 3) return roster.filter((b) => !(b.tags ?? []).includes('watchdog'));
    return [];
  }
  switch (k.scope) {
    case 'platform':
      return roster;
    case 'bot':
      return roster.filter((b) => b.slug === k.target);
    case 'fleet':
      return roster.filter((b) => b.fleet === k.target);
    case 'tenant':
      return roster.filter((b) => b.tenant === k.target);
    case 'group':
      return roster.filter((b) => b.group === k.target);
    case 'asset':
      return roster.filter((b) => b.asset === k.target);
    case 'capability':
      return roster.filter((b) => b.capability === k.target);
    case 'run':
      return roster.filter((b) => b.run === k.target);
    default:
      return [];
  }
}
