// The execution boundary's kill check (seed 003, contracts §5): every request's in-scope kill
// keys (a child run's: its parent's run key too) are read from Redis after it arrived and before it is forwarded; strictest mode wins;
// an unreachable flag store fails closed (only cancels pass). Requests arriving in the same
// event-loop turn share one MGET of the union of their keys (same guarantee, far less overhead).
import type { Redis } from 'ioredis';
import { allowedWhileKilled, keysForBot, killKey, parseKillValue, strictest, type Group, type KillValue, type Mode } from '../model.ts';
import type { EffectRequest } from './ndjson.ts';

export type Verdict = { pass: true } | { pass: false; error: string; retryable: boolean };

interface Waiting {
  req: EffectRequest;
  keys: string[];
  resolve: (v: Verdict) => void;
}

export class KillChecker {
  private batch: Waiting[] = [];
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly defaultMode: Mode;

  constructor(redis: Redis, prefix: string, defaultMode: Mode) {
    this.redis = redis;
    this.prefix = prefix;
    this.defaultMode = defaultMode;
  }

  check(req: EffectRequest): Promise<Verdict> {
    const keys = keysForBot(this.prefix, { slug: req.bot, fleet: req.fleet, tenant: req.tenant, group: req.group as Group, asset: req.asset, capability: req.capability, run: req.run });
    // A child run's effect is in its parent's run scope too (seed 004): without this a parent's run
    // kill that the child's worker has not seen yet (a raw SET, before its poll) let the child's writes land.
    if (req.parentRun) keys.push(killKey(this.prefix, 'run', req.parentRun));
    return new Promise((resolve) => {
      if (this.batch.length === 0) setImmediate(() => void this.run());
      this.batch.push({ req, keys, resolve });
    });
  }

  private async run(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    const union = [...new Set(batch.flatMap((w) => w.keys))];
    let values: Map<string, KillValue | null>;
    try {
      if (this.redis.status !== 'ready') throw new Error(`connection ${this.redis.status}`);
      const raw = await this.redis.mget(union);
      values = new Map(union.map((k, i) => [k, parseKillValue(raw[i], this.defaultMode)]));
    } catch (err) {
      const error = `killdrill: gateway cannot read the kill state (${(err as Error).message}); failing closed, only cancels pass`;
      for (const w of batch) w.resolve(w.req.kind === 'cancel' ? { pass: true } : { pass: false, error, retryable: true });
      return;
    }
    for (const w of batch) {
      const parsed = w.keys.map((k) => values.get(k) ?? null);
      const kill = strictest(parsed);
      if (!kill || allowedWhileKilled(w.req.kind, kill.mode)) w.resolve({ pass: true });
      else {
        const key = w.keys[parsed.indexOf(kill)];
        w.resolve({ pass: false, error: `killdrill: kill switch engaged (${key}, mode ${kill.mode}: ${kill.reason}); '${w.req.kind}' is not allowed`, retryable: false });
      }
    }
  }
}
