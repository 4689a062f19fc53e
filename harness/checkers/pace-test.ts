// Did a bot (or a pool of bots) keep its pace? The exact test of two Poisson rates: conditioned on
// the n effects counted before the lever and in the window, the window's count is
// Binomial(n, windowMs / (baselineMs + windowMs)) if the pace did not change. Used by
// out-of-scope-unaffected; its thresholds are the checker's, passed in.
import { binomialCdf } from './stats.ts';

export interface PaceCounts {
  /** Effects in the baseline interval (before the lever) and its length. */
  baseline: number;
  baselineMs: number;
  /** Effects in the halt window and its length. */
  landed: number;
  windowMs: number;
}

export interface Pace {
  /** What the baseline pace predicts for the window (one decimal). */
  expected: number;
  /** P(a window count ≤ landed) at the unchanged pace (3 significant digits); 1 when not under `minShare` of expected (not tested). */
  pValue: number;
  /** Landing none at all would be below `alpha`: the counts can tell a starved bot from chance. */
  judgeable: boolean;
  /** Judgeable, under `minShare` of expected, and that improbable at the pace. */
  starved: boolean;
}

export function pace(c: PaceCounts, alpha: number, minShare: number): Pace {
  const expected = c.baselineMs > 0 ? (c.baseline * c.windowMs) / c.baselineMs : 0;
  const share = c.baselineMs > 0 ? c.windowMs / (c.baselineMs + c.windowMs) : 0;
  const low = c.landed < expected * minShare;
  const p = low ? binomialCdf(c.landed, c.baseline + c.landed, share) : 1;
  const judgeable = c.baseline > 0 && binomialCdf(0, c.baseline, share) < alpha;
  return { expected: Math.round(expected * 10) / 10, pValue: Number(p.toPrecision(3)), judgeable, starved: judgeable && low && p < alpha };
}

export interface PoolMember {
  slug: string;
  /** When the bot was last seen entering Running before the lever. */
  runningSince: number;
  /** Receive times (venue clock) of the bot's effects. */
  receivedAt: number[];
}

export interface PooledPace extends Pace {
  bots: string[];
  /** Bots left out: Running only since after the pool's baseline began. */
  leftOut: string[];
  baselineFrom: number;
  baseline: number;
  baselineMs: number;
  landed: number;
}

/**
 * Bots too slow to judge one by one, judged together: their effects summed over one baseline
 * interval and the window [from, until). The interval starts at one of their Running times, the
 * one that covers the most bot-time (members × its length; chosen from the times alone, never from
 * the counts); a bot Running only since later is left out, so every member's counts cover the same
 * interval. Null when fewer than two bots can be pooled.
 */
export function poolPace(members: PoolMember[], from: number, until: number, alpha: number, minShare: number): PooledPace | null {
  if (members.length < 2) return null;
  const since = members.map((m) => m.runningSince).sort((a, b) => a - b);
  // Sorted ascending, the i-th start keeps i + 1 members: pick the start with the most bot-time before the lever.
  let baselineFrom = since[0];
  let best = -1;
  since.forEach((t, i) => {
    const mass = (i + 1) * (from - t);
    if (mass > best) [best, baselineFrom] = [mass, t];
  });
  const inPool = members.filter((m) => m.runningSince <= baselineFrom);
  if (inPool.length < 2 || !(from > baselineFrom)) return null;
  const count = (a: number, b: number) => inPool.reduce((n, m) => n + m.receivedAt.filter((t) => t >= a && t < b).length, 0);
  const c = { baseline: count(baselineFrom, from), baselineMs: from - baselineFrom, landed: count(from, until), windowMs: until - from };
  return {
    ...pace(c, alpha, minShare),
    bots: inPool.map((m) => m.slug),
    leftOut: members.filter((m) => m.runningSince > baselineFrom).map((m) => m.slug),
    baselineFrom,
    baseline: c.baseline,
    baselineMs: c.baselineMs,
    landed: c.landed,
  };
}
