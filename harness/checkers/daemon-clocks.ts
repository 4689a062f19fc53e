// How far each daemon's clock may run BEHIND the venue's (DESIGN.md §3: no verdict rests on a
// bot's clock). Effects carry two stamps: dispatchedAt (the daemon's clock) and receivedAt (the
// venue's). A daemon δ ms behind shows every transit δ ms longer, so its smallest transit, less
// the fleet's smallest, bounds δ from above: excessMs. (A clock running AHEAD shows transits below
// zero: post-flip-effects already refuses those histories.) Every effect of the daemon counts:
// a fault (link latency, a paused process) only lengthens transits, so it can raise a daemon's
// smallest transit only if it slowed all of them, and then the bound errs on the safe side.
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
 * Excess at or below this is load, not skew (docs/reports.md, "Daemon clocks"): on the 2-core machine
 * shared by five fleets, the spread of the daemons' smallest transits was 0.25–13.5 ms over 35 runs
 * (a 1 s-tick daemon has ~10 effects to take its minimum from); the skews the old clock produced
 * were 24–84 ms (docs/benchmarks.md, "Clocks").
 */
export const CLOCK_NOISE_MS = 20;

export function daemonClocks(h: History): Map<string, DaemonClock> {
  const daemonOf = new Map(h.roster().map((b) => [b.slug, `${b.host}/${b.daemon}`]));
  const all = new Map<string, EffectOp[]>();
  for (const x of h.effects()) {
    const d = daemonOf.get(x.bot);
    if (!d) continue;
    const l = all.get(d) ?? [];
    l.push(x);
    all.set(d, l);
  }
  const mins = new Map<string, { n: number; min: number }>();
  for (const [d, xs] of all) mins.set(d, { n: xs.length, min: xs.reduce((m, x) => Math.min(m, x.receivedAt - x.dispatchedAt), Number.POSITIVE_INFINITY) });
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
