// One bot inside a daemon: its load (by class, contracts §1) and its phase machine
// Running → Draining → Stopped → Running (contracts §6). The kill state is evaluated
// before every effect; the bot never caches it. Orders say what the venue does with them
// (contracts §5): HFT quotes are limit orders that rest until cancelled; standard and paper bots
// send market orders that fill at once and move their position (paper bots track it too, so a
// flatten closes it). A drain waits for the orders still in flight: one that lands as a resting
// order is cancelled (cancel, flatten), one that fills is closed with the rest (flatten).
import { allowedWhileKilled, type Bot, type Bug, type ClassSpec, type Mode, type Phase } from '../model.ts';
import type { EffectKind, OrderType } from '../gateway/ndjson.ts';
import type { KillState } from './kill-view.ts';
import type { Rng } from './prng.ts';
import { nowMs } from '../clock.ts';
import type { BreakerName } from '../../contracts/index.ts';

export interface EffectFields {
  kind: EffectKind;
  side?: 'buy' | 'sell';
  qty?: number;
  orderKey?: string;
  type?: OrderType;
}

export type DispatchStatus = 'landed' | 'rejected' | 'failed' | 'unknown';
export type Dispatch = (bot: BotRunner, fields: EffectFields, key?: string) => { key: string; done: Promise<DispatchStatus> };
export type PhaseSink = (bot: BotRunner, from: Phase | '', to: Phase, reason: string, at: number) => void;

const MODE_RANK: Record<Mode, number> = { cancel: 1, flatten: 2, freeze: 3 };
/** A market maker keeps at most this many resting orders, requoting (cancel oldest) past it. */
const MAX_WORKING = 4;
const MAX_ATTEMPTS = 3;

interface Retry {
  dueAt: number;
  key: string;
  fields: EffectFields;
  attempt: number;
}

export interface BotDeps {
  dispatch: Dispatch;
  phase: PhaseSink;
  killOf: (bot: BotRunner, now: number) => KillState;
  bugs: readonly Bug[];
  /** Something this bot waits on finished: run the scheduler soon. */
  wake: () => void;
  /** The rogue-bot fault (contracts §8): the daemon's bots ignore their kill state, their load ticks in every phase. */
  rogue?: () => boolean;
  /** Seed 003's circuit breakers (breaker-board.ts): the breaker tripped for this bot now, null to trade. */
  breaker?: (bot: BotRunner, now: number) => BreakerName | null;
}

export class BotRunner {
  readonly bot: Bot;
  readonly keys: string[];
  phase: Phase = 'Stopped';
  nextTickAt = Infinity;
  private drainUntil = Infinity;
  private drainMode: Mode = 'cancel';
  private workPending = 0;
  /** Orders (and requoting cancels) sent while Running whose reply has not come back yet. */
  private inFlight = 0;
  /** A close is on its way: its fill is not in `position` yet. */
  private closing = false;
  private working: string[] = [];
  private position = 0;
  private retries: Retry[] = [];
  private readonly cls: ClassSpec;
  private readonly rng: Rng;
  private readonly d: BotDeps;
  private readonly retriesSurviveKill: boolean;
  private readonly gateOpenWhileDraining: boolean;
  private readonly cancelLeavesOrders: boolean;
  private readonly flattenKeepsPosition: boolean;

  constructor(bot: Bot, cls: ClassSpec, rng: Rng, keys: string[], deps: BotDeps) {
    this.bot = bot;
    this.cls = cls;
    this.rng = rng;
    this.keys = keys;
    this.d = deps;
    this.retriesSurviveKill = deps.bugs.includes('retries-survive-kill');
    this.gateOpenWhileDraining = deps.bugs.includes('gate-open-while-draining');
    this.cancelLeavesOrders = deps.bugs.includes('cancel-leaves-orders');
    this.flattenKeepsPosition = deps.bugs.includes('flatten-keeps-position');
  }

  /** Orders an earlier process of this daemon left working at the venue (its journal): this life cancels them. */
  adoptWorking(orderKeys: string[]): void {
    for (const k of orderKeys) if (!this.working.includes(k)) this.working.push(k);
  }

  /** The net position an earlier process of this daemon left at the venue (its journal): this life's flatten closes it. */
  adoptPosition(net: number): void {
    this.position = net;
  }

  /** The first phase, from the kill state read at boot. */
  boot(st: KillState, now: number): void {
    if (st.killed && st.mode !== 'freeze' && (this.working.length > 0 || (st.mode === 'flatten' && this.position !== 0))) {
      // Restarted while killed, with orders its previous life left resting (or, in flatten, a position): do the mode's work first.
      this.phase = 'Draining';
      this.drainMode = st.mode;
      this.drainUntil = now + this.cls.drainMs;
      this.d.phase(this, '', 'Draining', st.reason, now);
      return this.drainWork(now);
    }
    this.phase = st.killed ? 'Stopped' : 'Running';
    if (!st.killed) this.nextTickAt = now + this.rng() * this.cls.tickMs;
    this.d.phase(this, '', this.phase, st.killed ? st.reason : 'boot', now);
  }

  /** Applies the current kill state to the phase machine. */
  reconcile(st: KillState, now: number): void {
    if (st.killed) {
      if (this.phase === 'Running') this.startDrain(st, now);
      else if (MODE_RANK[st.mode] > MODE_RANK[this.drainMode]) this.escalate(st, now);
    } else if (this.phase === 'Stopped') {
      this.phase = 'Running';
      this.drainMode = 'cancel';
      this.nextTickAt = now + this.rng() * this.cls.tickMs;
      this.d.phase(this, 'Stopped', 'Running', 'released', now);
    }
    this.finishDrain(now);
  }

  /** The earliest time this bot has something to do. */
  nextDue(): number {
    let t = this.phase === 'Draining' && !this.busy() ? this.drainUntil : Infinity;
    if (this.ticks() && this.nextTickAt < t) t = this.nextTickAt;
    for (const r of this.retries) if (r.dueAt < t) t = r.dueAt;
    return t;
  }

  /**
   * Runs whatever is due: ticks and retries due by `horizon` (they may run a little early),
   * the end of a drain only once `now` has reached it. Every timestamp is `now`.
   */
  runDue(now: number, horizon = now): void {
    if (this.retries.length) this.runRetries(now, horizon);
    if (this.ticks() && horizon >= this.nextTickAt) {
      this.nextTickAt = this.nextTickAt + this.cls.tickMs < now ? now + this.cls.tickMs : this.nextTickAt + this.cls.tickMs;
      this.tick(now);
    }
    this.finishDrain(now);
  }

  /** The load ticks while Running; also while Draining with the gate-open-while-draining bug, in every phase when rogue. */
  private ticks(): boolean {
    return this.phase === 'Running' || (this.phase === 'Draining' && this.gateOpenWhileDraining) || this.d.rogue?.() === true;
  }

  private tick(now: number): void {
    // The bot's own gate: the kill state before every effect (skipped by a rogue bot, and by the
    // gate-open-while-draining bug once Draining: the load goes on to the boundary).
    if (this.phase === 'Running' && this.d.rogue?.() !== true) {
      const st = this.d.killOf(this, now);
      if (st.killed) return this.startDrain(st, now);
    }
    // A tripped circuit breaker: seed 003's forced flat decision for the bot's asset, nothing opened.
    if (this.phase === 'Running' && this.d.breaker?.(this, now)) return this.goFlat();
    switch (this.bot.class) {
      case 'hft': {
        if (this.working.length >= MAX_WORKING || (this.working.length > 0 && this.rng() < 0.25)) {
          const orderKey = this.working.shift()!;
          // A cancel lost in flight may not have landed: keep the order as working (cancelling it again is harmless).
          this.sendOrder({ kind: 'cancel', orderKey }, (s) => s !== 'landed' && this.working.push(orderKey));
        } else {
          // An order lost in flight (a link cut after it was sent) may rest at the venue: it counts as working,
          // so the drain cancels it (the venue answers not-open if it never landed). Seen in docker-partition.
          const e = this.sendOrder({ kind: 'order', type: 'limit', side: this.side(), qty: 1 + Math.floor(this.rng() * 10) }, (s) => (s === 'landed' || s === 'unknown') && this.working.push(e.key));
        }
        return;
      }
      case 'standard':
      case 'paper': {
        const side = this.side();
        const qty = 1 + Math.floor(this.rng() * (this.bot.class === 'paper' ? 100 : 10));
        this.sendOrder({ kind: 'order', type: 'market', side, qty }, (s) => {
          if (s === 'landed') this.position += side === 'buy' ? qty : -qty;
        });
        return;
      }
      case 'agent': {
        const fields: EffectFields = { kind: 'action' };
        const e = this.send(fields, (s) => (s === 'rejected' || s === 'failed') && this.scheduleRetry(e.key, fields, 1, now));
        return;
      }
    }
  }

  private side(): 'buy' | 'sell' {
    return this.rng() < 0.5 ? 'buy' : 'sell';
  }

  private send(fields: EffectFields, then: (s: DispatchStatus) => unknown, key?: string): { key: string } {
    const e = this.d.dispatch(this, fields, key);
    void e.done.then(then);
    return e;
  }

  /** An order-book effect sent while Running: a drain that starts before its reply waits for it, then does the mode's work on what it left. */
  private sendOrder(fields: EffectFields, then: (s: DispatchStatus) => unknown): { key: string } {
    this.inFlight++;
    return this.send(fields, (s) => {
      this.inFlight--;
      then(s);
      if (this.phase === 'Draining') {
        this.drainWork(nowMs());
        this.d.wake();
      }
    });
  }

  /** Draining cannot end yet: the mode's work or an order it must see land is still in flight. */
  private busy(): boolean {
    return this.workPending > 0 || this.closing || (this.drainMode !== 'freeze' && this.inFlight > 0);
  }

  private scheduleRetry(key: string, fields: EffectFields, attempt: number, now: number): void {
    if (attempt >= MAX_ATTEMPTS) return;
    // Exponential backoff: 2–4 ticks after the first failure, 4–8 after the second.
    const delayMs = this.cls.tickMs * 2 ** attempt * (1 + this.rng());
    this.retries.push({ dueAt: Math.max(now, nowMs()) + delayMs, key, fields, attempt: attempt + 1 });
    this.d.wake();
  }

  private runRetries(now: number, horizon: number): void {
    const due = this.retries.filter((r) => r.dueAt <= horizon);
    if (!due.length) return;
    this.retries = this.retries.filter((r) => r.dueAt > horizon);
    for (const r of due) {
      if (!this.retriesSurviveKill && this.d.rogue?.() !== true) {
        // A retry is an effect like any other: re-check the kill state first.
        if (this.phase !== 'Running') continue;
        const st = this.d.killOf(this, now);
        if (st.killed) {
          this.startDrain(st, now);
          continue;
        }
      }
      // The retries-survive-kill bug: the timer set before the flip just fires.
      const e = this.send(r.fields, (s) => (s === 'rejected' || s === 'failed') && this.scheduleRetry(e.key, r.fields, r.attempt, now), r.key);
    }
  }

  private startDrain(st: KillState, now: number): void {
    this.phase = 'Draining';
    this.drainMode = st.mode;
    this.drainUntil = now + this.cls.drainMs;
    if (!this.retriesSurviveKill) this.retries = [];
    this.d.phase(this, 'Running', 'Draining', st.reason, now);
    this.drainWork(now);
  }

  /** A stricter mode while Draining or Stopped: do its extra work (a Stopped bot drains again to close its position). */
  private escalate(st: KillState, now: number): void {
    if (this.phase === 'Draining') {
      this.drainMode = st.mode;
      return this.drainWork(now);
    }
    if (st.mode === 'flatten' && (this.position !== 0 || this.working.length > 0)) {
      this.phase = 'Draining';
      this.drainMode = st.mode;
      this.drainUntil = now + this.cls.drainMs;
      this.d.phase(this, 'Stopped', 'Draining', st.reason, now);
      return this.drainWork(now);
    }
    this.drainMode = st.mode; // freeze, or nothing to close: stay Stopped
  }

  /** The mode's work: cancel working orders (cancel, flatten), close the position (flatten), nothing (freeze). */
  private drainWork(now: number): void {
    if (this.drainMode === 'freeze') return;
    const allowed = (kind: EffectKind) => {
      const st = this.d.killOf(this, now);
      return !st.killed || allowedWhileKilled(kind, st.mode);
    };
    // The cancel-leaves-orders bug: the working orders stay at the venue.
    const orders = this.cancelLeavesOrders ? [] : this.working.splice(0);
    for (const orderKey of orders) {
      if (!allowed('cancel')) {
        this.working.push(orderKey);
        continue;
      }
      this.workPending++;
      this.send({ kind: 'cancel', orderKey }, (s) => {
        this.workPending--;
        if (s !== 'landed') this.working.push(orderKey);
        // Lost in flight: try once more while Draining (a cancel that cannot be sent fails, and is not retried).
        if (s === 'unknown' && this.phase === 'Draining') this.drainWork(nowMs());
        this.d.wake();
      });
    }
    // The flatten-keeps-position bug: the close is never sent.
    if (this.drainMode === 'flatten' && this.position !== 0 && !this.closing && !this.flattenKeepsPosition && allowed('close'))
      this.closePosition((s) => {
        // A fill that landed while this close was on its way is closed too.
        if (s === 'landed' && this.phase === 'Draining') this.drainWork(nowMs());
      });
  }

  /** Sends one close of the whole net position; `then` runs once its reply is in `position`. */
  private closePosition(then: (s: DispatchStatus) => void = () => {}): void {
    const qty = Math.abs(this.position);
    const side = this.position > 0 ? 'sell' : 'buy';
    this.closing = true;
    this.send({ kind: 'close', side, qty }, (s) => {
      this.closing = false;
      if (s === 'landed') this.position += side === 'buy' ? qty : -qty;
      then(s);
      this.d.wake();
    });
  }

  /** A tripped breaker: cancel the resting orders, close the position (again at the next tick for what landed meanwhile). */
  private goFlat(): void {
    for (const orderKey of this.working.splice(0)) this.sendOrder({ kind: 'cancel', orderKey }, (s) => s !== 'landed' && this.working.push(orderKey));
    if (this.position !== 0 && !this.closing) this.closePosition();
  }

  private finishDrain(now: number): void {
    if (this.phase !== 'Draining' || now < this.drainUntil || this.busy()) return;
    this.phase = 'Stopped';
    this.drainUntil = Infinity;
    this.d.phase(this, 'Draining', 'Stopped', `drained (${this.drainMode})`, now);
  }
}
