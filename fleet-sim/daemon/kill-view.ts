// The daemon's live view of the kill state (contracts §2, §6): fed by pub/sub events and by
// polling; evaluated per bot before every effect. Fails closed when the last good poll is
// older than 2 × pollIntervalS + 1 s or the poller's connection is down.
import { parseKillValue, strictest, type Bug, type KillValue, type Mode } from '../model.ts';

export interface KillState {
  killed: boolean;
  mode: Mode;
  reason: string;
}

const NOT_KILLED: KillState = { killed: false, mode: 'cancel', reason: '' };

export interface KillViewOptions {
  pollIntervalS: number;
  defaultMode: Mode;
  bugs: readonly Bug[];
}

export class KillView {
  /** Engaged keys only. */
  private values = new Map<string, KillValue & { key: string }>();
  /** When pub/sub last changed a key: a poll issued before that must not undo it. */
  private eventAt = new Map<string, number>();
  lastGoodPollAt: number | null = null;
  pollerUp = false;
  /** Whether the kill state was ever read successfully. */
  everRead = false;
  private readonly staleMs: number;
  private readonly healthChecked: boolean;
  private readonly failOpen: boolean;
  private readonly opts: KillViewOptions;

  constructor(opts: KillViewOptions) {
    this.opts = opts;
    this.staleMs = 2 * opts.pollIntervalS * 1000 + 1000;
    // Bugs: pubsub-only has no staleness check; cached-at-boot never looks again.
    this.healthChecked = !opts.bugs.includes('pubsub-only') && !opts.bugs.includes('kill-state-cached-at-boot');
    this.failOpen = opts.bugs.includes('fail-open');
  }

  /** A pub/sub event `{op, key, value?}`. Returns whether the view changed. */
  applyEvent(op: 'engage' | 'release', key: string, value: string | null, now: number): boolean {
    this.eventAt.set(key, now);
    return this.set(key, op === 'release' ? null : value);
  }

  /** A poll (MGET) issued at `issuedAt`. */
  applyPoll(issuedAt: number, keys: string[], values: Array<string | null>, now: number): boolean {
    let changed = false;
    for (let i = 0; i < keys.length; i++) {
      const at = this.eventAt.get(keys[i]);
      if (at !== undefined && at >= issuedAt) continue;
      if (this.set(keys[i], values[i])) changed = true;
    }
    this.lastGoodPollAt = now;
    this.everRead = true;
    return changed;
  }

  /** Assume a good read now without reading (the resume-ignores-halt bug). */
  assumeRead(now: number): void {
    this.lastGoodPollAt = now;
    this.everRead = true;
  }

  /** Null when the flag store is healthy, else why not. */
  unhealthy(now: number): string | null {
    if (!this.everRead) return 'kill state not read yet';
    if (!this.healthChecked) return null;
    if (!this.pollerUp) return 'flag store poller connection down';
    if (this.lastGoodPollAt === null || now - this.lastGoodPollAt > this.staleMs) return `last good poll older than ${this.staleMs} ms`;
    return null;
  }

  evaluate(keys: readonly string[], now: number): KillState {
    const bad = this.unhealthy(now);
    if (bad) {
      if (this.failOpen) return NOT_KILLED; // the bug: an unreachable store means "not killed"
      return { killed: true, mode: 'cancel', reason: `fail-closed: ${bad}` };
    }
    let best: (KillValue & { key: string }) | null = null;
    for (const k of keys) {
      const v = this.values.get(k);
      if (v) best = strictest([best, v]) as (KillValue & { key: string }) | null;
    }
    return best ? { killed: true, mode: best.mode, reason: `${best.key}: ${best.reason}` } : NOT_KILLED;
  }

  private set(key: string, raw: string | null): boolean {
    const prev = this.values.get(key);
    const v = parseKillValue(raw, this.opts.defaultMode);
    if (!v) {
      if (!prev) return false;
      this.values.delete(key);
      return true;
    }
    if (prev && prev.mode === v.mode && prev.reason === v.reason) return false;
    this.values.set(key, { ...v, key });
    return true;
  }
}
