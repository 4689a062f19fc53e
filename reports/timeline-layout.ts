// The timeline's geometry: the time scale, the lane groups (host → fleet/daemon → bots) and each
// bot's phase bands, from the normalised run view.
import type { EffectOp, PhaseOp, RosterBot } from './run-types.ts';
import type { RunView } from './run-view.ts';

export const CHART_W = 1100;

export interface Scale {
  t0: number;
  t1: number;
  /** Time origin of the axis labels: the lever's issuedAt when there is one. */
  origin: number;
  x(t: number): number;
}

export interface Band {
  phase: string;
  from: number;
  to: number;
}

export interface BotLane {
  bot: RosterBot;
  inScope: boolean;
  bands: Band[];
  effects: EffectOp[];
  postFlip: EffectOp[];
  restartAt: number | null;
}

export interface LaneGroup {
  id: string;
  host: string;
  fleet: string;
  daemon: string;
  lanes: BotLane[];
}

export interface HostSection {
  host: string;
  groups: LaneGroup[];
}

export function makeScale(view: RunView): Scale {
  const times: number[] = [view.startedAt, view.endedAt];
  for (const list of view.phases.values()) for (const p of list) times.push(p.at);
  if (view.effects.length) times.push(view.effects[0].dispatchedAt, view.effects[view.effects.length - 1].dispatchedAt);
  const finite = times.filter((t) => Number.isFinite(t) && t > 0);
  const t0 = Math.min(...finite);
  const t1 = Math.max(t0 + 1, ...finite);
  const origin = view.lever.issuedAt ?? t0;
  return { t0, t1, origin, x: (t) => Math.max(0, Math.min(CHART_W, ((t - t0) / (t1 - t0)) * CHART_W)) };
}

function bandsOf(phases: PhaseOp[] | undefined, end: number): Band[] {
  if (!phases || phases.length === 0) return [];
  const out: Band[] = [];
  for (let i = 0; i < phases.length; i++) {
    const to = i + 1 < phases.length ? phases[i + 1].at : end;
    const prev = out[out.length - 1];
    if (prev && prev.phase === phases[i].phase) prev.to = to;
    else out.push({ phase: phases[i].phase, from: phases[i].at, to });
  }
  return out;
}

export function layoutLanes(view: RunView, scale: Scale): HostSection[] {
  const effectsByBot = new Map<string, EffectOp[]>();
  for (const e of view.effects) {
    const l = effectsByBot.get(e.bot) ?? [];
    l.push(e);
    effectsByBot.set(e.bot, l);
  }
  const postFlipByBot = new Map<string, EffectOp[]>();
  for (const e of view.figures.postFlip?.effects ?? []) {
    const l = postFlipByBot.get(e.bot) ?? [];
    l.push(e);
    postFlipByBot.set(e.bot, l);
  }
  const restartBy = new Map(view.perBot.map((b) => [b.slug, b.restartMs]));
  const releaseAt = view.lever.releaseIssuedAt ?? null;
  // Bots the roster lacks but the phases or perBot know (a roster op lost in a crash) still get a lane.
  const roster = new Map<string, RosterBot>(view.roster.map((b) => [b.slug, b]));
  for (const b of view.perBot) if (!roster.has(b.slug)) roster.set(b.slug, { slug: b.slug, host: b.host, daemon: b.daemon, fleet: b.fleet, class: b.class });
  for (const [slug, list] of view.phases) if (!roster.has(slug)) roster.set(slug, { slug, host: list[0].host ?? '?', daemon: list[0].daemon ?? '?', fleet: '?', class: '?' });

  const hosts = new Map<string, Map<string, LaneGroup>>();
  for (const bot of roster.values()) {
    const groups = hosts.get(bot.host) ?? new Map<string, LaneGroup>();
    hosts.set(bot.host, groups);
    const gid = `${bot.fleet}/${bot.daemon}`;
    const g = groups.get(gid) ?? { id: `g-${bot.host}-${bot.daemon}-${bot.fleet}`.replace(/[^A-Za-z0-9_-]/g, '_'), host: bot.host, fleet: bot.fleet, daemon: bot.daemon, lanes: [] };
    groups.set(gid, g);
    const r = restartBy.get(bot.slug);
    g.lanes.push({
      bot,
      inScope: view.inScope.has(bot.slug),
      bands: bandsOf(view.phases.get(bot.slug), scale.t1),
      effects: effectsByBot.get(bot.slug) ?? [],
      postFlip: postFlipByBot.get(bot.slug) ?? [],
      restartAt: typeof r === 'number' && releaseAt !== null ? releaseAt + r : null,
    });
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  return [...hosts.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([host, groups]) => ({
      host,
      groups: [...groups.values()]
        .sort((a, b) => byName(a.fleet, b.fleet) || byName(a.daemon, b.daemon))
        .map((g) => ({ ...g, lanes: g.lanes.sort((a, b) => byName(a.bot.slug, b.bot.slug)) })),
    }));
}

/** Share of a group's bots in each phase over `buckets` time slices (for the aggregate lane). */
export function phaseShares(group: LaneGroup, scale: Scale, buckets: number): Array<{ Running: number; Draining: number; Stopped: number }> {
  const out = Array.from({ length: buckets }, () => ({ Running: 0, Draining: 0, Stopped: 0 }));
  const n = group.lanes.length || 1;
  const span = (scale.t1 - scale.t0) / buckets;
  for (const lane of group.lanes) {
    for (const b of lane.bands) {
      if (b.phase !== 'Running' && b.phase !== 'Draining' && b.phase !== 'Stopped') continue;
      const i0 = Math.max(0, Math.floor((b.from - scale.t0) / span));
      const i1 = Math.min(buckets - 1, Math.floor((b.to - scale.t0 - 1e-9) / span));
      for (let i = i0; i <= i1; i++) {
        const lo = scale.t0 + i * span;
        const cover = Math.max(0, Math.min(b.to, lo + span) - Math.max(b.from, lo)) / span;
        out[i][b.phase] += cover / n;
      }
    }
  }
  return out;
}
