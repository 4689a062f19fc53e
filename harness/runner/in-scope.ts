// Which bots a lever must stop, from the roster (bots with their daemon's tags).
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

export function inScopeBots(roster: RosterBot[], k: LeverScope): RosterBot[] {
  if (k.path === 'broker-level') {
    const level = k.level ?? 0;
    if (level === 1) return roster.filter((b) => b.asset === (k.asset ?? 'DOGE-USD'));
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
