// History: the read-only view of one run's ops, in record order, with the helpers checkers need.
import { asKillMode, inScopeBots, LEVEL_MODE, type KillMode, type RosterBot } from '../checkers/spec/index.ts';
import type {
  BreakerOp, ClaimOp, DaemonOp, EffectOp, JournalOp, ShutdownOp, LeverName, Op, OtherOp, PhaseOp, RunEndOp, RunStartOp, StatusOp,
  ObserverFailedOp,
} from './ops.ts';

export interface Lever {
  lever: LeverName;
  path: string;
  scope: string;
  target: string;
  mode: string;
  level?: number;
  asset?: string;
  issuedAt: number;
  ackAt: number | null;
  /** The system confirmed (REST 2xx, SET OK, CR engaged): engagedAt / releasedAt. */
  engagedAt: number | null;
  /** The lever failed: why (then engagedAt is null). */
  failed: string | null;
}

export type { KillMode };

/** Ops recorded after the observers' last look (the journal, read after the run), so no measure of how long the fleet was watched. */
const AFTER_THE_WATCH = new Set(['run-end', 'journal', 'shutdown', 'breaker', 'journal-read']);

export class History {
  readonly ops: readonly Op[];
  /** Lines that were not JSON (e.g. the last line torn by a crash). */
  readonly tornLines: number;

  constructor(ops: ReadonlyArray<Op | OtherOp>, tornLines = 0) {
    this.ops = Object.freeze([...ops]) as readonly Op[];
    this.tornLines = tornLines;
  }

  // The ops are frozen, so each type's list (and each bot's phases) is computed once per History:
  // the runner judges the history so far several times a second (harness/checkers/decided.ts).
  #byType = new Map<string, readonly Op[]>();
  #phasesBySlug: Map<string, PhaseOp[]> | null = null;

  ofType<T extends Op['type']>(type: T): Array<Extract<Op, { type: T }>> {
    if (!this.#byType.size) {
      for (const o of this.ops) {
        const l = this.#byType.get(o.type) as Op[] | undefined;
        if (l) l.push(o);
        else this.#byType.set(o.type, [o]);
      }
    }
    return [...(this.#byType.get(type) ?? [])] as Array<Extract<Op, { type: T }>>;
  }

  runStart(): RunStartOp | null {
    return this.ofType('run-start')[0] ?? null;
  }

  runEnd(): RunEndOp | null {
    return this.ofType('run-end').at(-1) ?? null;
  }

  roster(): RosterBot[] {
    return this.ofType('roster').at(-1)?.bots ?? [];
  }

  /** The first time this lever was issued, with its acknowledgement and confirmation. */
  lever(name: LeverName): Lever | null {
    if (!this.#levers.has(name)) this.#levers.set(name, this.#lever(name));
    const l = this.#levers.get(name)!;
    return l && { ...l };
  }

  #levers = new Map<LeverName, Lever | null>();

  #lever(name: LeverName): Lever | null {
    // After a lever-fallback the kill is the fallback path's lever (issued after it); the failed one is in killAttempts().
    const fellBack = name === 'kill' ? this.ofType('lever-fallback').at(-1) : undefined;
    const issued = this.ofType('lever-issued').find((o) => o.lever === name && (!fellBack || o.t > fellBack.t));
    if (!issued) return null;
    const after = (type: 'lever-ack' | 'lever-engaged' | 'lever-failed') => this.ofType(type).find((o) => o.lever === name && o.t >= issued.t) as { at: number; error?: string } | undefined;
    const ack = after('lever-ack');
    const engaged = after('lever-engaged');
    const failed = after('lever-failed');
    return {
      lever: name,
      path: issued.path,
      scope: issued.scope,
      target: issued.target,
      mode: issued.mode,
      level: issued.level,
      asset: issued.asset,
      issuedAt: issued.at,
      ackAt: ack?.at ?? null,
      engagedAt: engaged?.at ?? null,
      failed: failed ? failed.error ?? 'lever failed' : null,
    };
  }

  /** Bots that joined during the case (scale-out), not in the roster: only boots-halted judges them. */
  rosterAdded(): RosterBot[] {
    return this.ofType('roster-added').flatMap((o) => o.bots);
  }

  /** Every kill path tried, in order (more than one when kill.fallback was pulled): which path worked. */
  killAttempts(): Array<{ path: string; issuedAt: number; engagedAt: number | null; failed: string | null }> {
    const issued = this.ofType('lever-issued').filter((o) => o.lever === 'kill');
    return issued.map((o, i) => {
      const next = issued[i + 1]?.t ?? Infinity;
      const within = (type: 'lever-engaged' | 'lever-failed') => this.ofType(type).find((x) => x.lever === 'kill' && x.t >= o.t && x.t < next) as { at: number; error?: string } | undefined;
      const failed = within('lever-failed');
      return { path: o.path, issuedAt: o.at, engagedAt: within('lever-engaged')?.at ?? null, failed: failed ? failed.error ?? 'lever failed' : null };
    });
  }

  /** Bots the kill lever must stop (empty without a kill or a roster). */
  inScope(): RosterBot[] {
    const k = this.lever('kill');
    return k ? inScopeBots(this.roster(), k) : [];
  }

  /** The mode the in-scope bots are killed with (a halt level implies its own). */
  killMode(): KillMode | null {
    const k = this.lever('kill');
    if (!k) return null;
    if (k.path === 'broker-level') return LEVEL_MODE[k.level ?? 0] ?? null;
    return asKillMode(k.mode);
  }

  /** One bot's phase transitions in the fleet's time order. */
  phasesOf(slug: string): PhaseOp[] {
    if (!this.#phasesBySlug) {
      this.#phasesBySlug = new Map();
      for (const p of this.ofType('phase')) {
        const l = this.#phasesBySlug.get(p.slug);
        if (l) l.push(p);
        else this.#phasesBySlug.set(p.slug, [p]);
      }
      for (const l of this.#phasesBySlug.values()) l.sort((a, b) => a.at - b.at);
    }
    return [...(this.#phasesBySlug.get(slug) ?? [])];
  }

  /** The bot's phase at time `at` (its last transition at or before), or null if none seen yet. */
  phaseAt(slug: string, at: number): string | null {
    let cur: string | null = null;
    for (const p of this.phasesOf(slug)) {
      if (p.at > at) break;
      cur = p.phase;
    }
    return cur;
  }

  /** First time at or after `from` the bot was seen in one of `phases`: its own transition, or already in it at `from`. */
  firstIn(slug: string, phases: string[], from: number): number | null {
    const before = this.phaseAt(slug, from);
    if (before !== null && phases.includes(before)) return from;
    return this.phasesOf(slug).find((p) => p.at >= from && phases.includes(p.phase))?.at ?? null;
  }

  effects(): EffectOp[] {
    return this.ofType('effect');
  }

  statuses(): StatusOp[] {
    return this.ofType('status');
  }

  claims(): ClaimOp[] {
    return this.ofType('claim');
  }

  daemonEvents(): DaemonOp[] {
    return this.ofType('daemon');
  }

  journal(): JournalOp[] {
    return this.ofType('journal');
  }

  /** The daemons' shutdown-gate records (journal `shutdown` lines), in journal order. */
  shutdowns(): ShutdownOp[] {
    return this.ofType('shutdown');
  }

  /** The bots' circuit-breaker transitions (journal `breaker` lines), in journal order (each daemon's file order). */
  breakers(): BreakerOp[] {
    return this.ofType('breaker');
  }

  /** Observer failure episodes (recovered or not), in record order. */
  observerFailures(): ObserverFailedOp[] {
    return this.ofType('observer-failed');
  }

  journalRead(): boolean {
    return this.ofType('journal-read').length > 0;
  }

  /** Up to when the fleet was watched: the observers' last look, else the last op recorded. */
  observedUntil(): number {
    const stopped = this.ofType('observers-stopped').at(-1);
    if (stopped) return stopped.at;
    const last = this.ops.filter((o) => !AFTER_THE_WATCH.has(o.type)).at(-1);
    return last ? last.t : 0;
  }
}
