// How far each daemon's clock may run BEHIND the venue's (DESIGN.md §3: no verdict rests on a
// bot's clock). Effects carry two stamps: dispatchedAt (the daemon's clock) and receivedAt (the
// venue's). A daemon δ ms behind shows every transit δ ms longer, so its smallest transit, less
// the fleet's smallest, bounds δ from above: excessMs. (A clock running AHEAD shows transits below
// zero: post-flip-effects already refuses those histories.) Only effects dispatched before the
// first fault count when the daemon has any (a link fault slows transits; it would only inflate
// the bound, never hide a skew).
import type { EffectOp, History } from '../history/index.ts';

export interface DaemonClock {
  /** host/daemon */
  daemon: string;
  effects: number;
  minTransitMs: number;
  /** How far behind the venue this daemon's clock may run, at most (≥ 0). */
  excessMs: number;
}

/**
 * Excess at or below this is agreement, not skew. Measured (docs/reports.md, "Clocks"): the spread of
 * the daemons' smallest transits in clean runs on one machine is 0.2–0.5 ms.
 */
export const CLOCK_NOISE_MS = 2;

export function daemonClocks(h: History): Map<string, DaemonClock> {
  const daemonOf = new Map(h.roster().map((b) => [b.slug, `${b.host}/${b.daemon}`]));
  const firstFault = h.ofType('fault-injected').reduce((m, f) => Math.min(m, f.at), Number.POSITIVE_INFINITY);
  const all = new Map<string, EffectOp[]>();
  for (const x of h.effects()) {
    const d = daemonOf.get(x.bot);
    if (!d) continue;
    const l = all.get(d) ?? [];
    l.push(x);
    all.set(d, l);
  }
  const mins = new Map<string, { n: number; min: number }>();
  for (const [d, xs] of all) {
    const pre = xs.filter((x) => x.dispatchedAt < firstFault);
    const use = pre.length ? pre : xs;
    mins.set(d, { n: use.length, min: use.reduce((m, x) => Math.min(m, x.receivedAt - x.dispatchedAt), Number.POSITIVE_INFINITY) });
  }
  const floor = [...mins.values()].reduce((m, x) => Math.min(m, x.min), Number.POSITIVE_INFINITY);
  const out = new Map<string, DaemonClock>();
  for (const [d, m] of mins) {
    const excess = Math.max(0, m.min - floor);
    out.set(d, { daemon: d, effects: m.n, minTransitMs: round(m.min), excessMs: excess <= CLOCK_NOISE_MS ? 0 : round(excess) });
  }
  return out;
}

/** The bound for one bot's clock (0 when its daemon agrees with the fleet or had no effect). */
export function botClockExcessMs(h: History, clocks: Map<string, DaemonClock>, slug: string): { daemon: string; excessMs: number } {
  const b = h.roster().find((x) => x.slug === slug);
  const daemon = b ? `${b.host}/${b.daemon}` : '?';
  return { daemon, excessMs: clocks.get(daemon)?.excessMs ?? 0 };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
