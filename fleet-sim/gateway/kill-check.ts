// The execution boundary's kill check (seed 003, contracts §5): one MGET of every kill key
// the request is in scope of, strictest mode wins; an unreachable flag store fails closed.
import type { Redis } from 'ioredis';
import { allowedWhileKilled, keysForBot, parseKillValue, strictest, type Group, type Mode } from '../model.ts';
import type { EffectRequest } from './ndjson.ts';

export type Verdict = { pass: true } | { pass: false; error: string; retryable: boolean };

export async function checkEffect(redis: Redis, prefix: string, defaultMode: Mode, req: EffectRequest): Promise<Verdict> {
  const keys = keysForBot(prefix, { slug: req.bot, fleet: req.fleet, tenant: req.tenant, group: req.group as Group, asset: req.asset, capability: req.capability, run: req.run });
  let values: Array<string | null>;
  try {
    if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
    values = await redis.mget(keys);
  } catch (err) {
    // Fail closed: without the flag store only cancels may leave.
    if (req.kind === 'cancel') return { pass: true };
    return { pass: false, error: `killdrill: gateway cannot read the kill state (${(err as Error).message}); failing closed, only cancels pass`, retryable: true };
  }
  const parsed = values.map((v) => parseKillValue(v, defaultMode));
  const kill = strictest(parsed);
  if (!kill || allowedWhileKilled(req.kind, kill.mode)) return { pass: true };
  const key = keys[parsed.indexOf(kill)];
  return { pass: false, error: `killdrill: kill switch engaged (${key}, mode ${kill.mode}: ${kill.reason}); '${req.kind}' is not allowed`, retryable: false };
}
