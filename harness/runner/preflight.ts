// Preflight (issue 12 item 3; docs/safety.md "Preflight" and "Dead runs"): before any fault and
// before the lever, on every target. It clears what a dead killdrill run left behind (its levers by
// their run id, its faults by its record), then checks that every endpoint the case reads answers,
// every in-scope bot is Running, no kill is engaged over them, and the target's clock is within
// --max-clock-offset of the harness's; then it takes the run's lease. Its outcome and figures are the
// history's `preflight` op (and `dead-run-cleared` ops). A failed preflight pulls no lever: the case
// ends errored (exit 3), or invalid input (exit 2) when a token the user gave is refused.
import { Redis } from 'ioredis';
import { nowMs } from '../../contracts/index.ts';
import { getJson, describeError } from '../../lib/http.ts';
import { withoutPassword, type TargetEndpoints } from '../runtime/index.ts';
import type { RosterBot } from './in-scope.ts';
import type { Emit, OpInput } from './emit.ts';
import {
  botsCovered, clockOffset, clockProblem, engagedProblem, ownerOf, runLiveness, DEFAULT_MAX_CLOCK_OFFSET_MS,
  type FoundKill, type HostView, type KillOwner, type RunLiveness,
} from './preflight-rules.ts';
import { leaseKey, parseLease, runsKey, takeLease, thisHost, type Lease, type ProxyState, type RunRecord } from './preflight-lease.ts';
import { clockSamples, haltOf, probeEndpoints, readKillKeys, readKillSwitches, readPhases, readProxies, type BrokerStatus, type EndpointCheck } from './preflight-target.ts';
import { clearFaults, clearKill, type Cleared } from './preflight-clear.ts';

export { DEFAULT_MAX_CLOCK_OFFSET_MS };

/** How long preflight waits for a dead run's keys to go once its levers were released (the operator clears a KillSwitch's key). */
export const CLEAR_WAIT_MS = 30_000;

export interface PreflightInput {
  ep: TargetEndpoints;
  keyPrefix: string;
  runId: string;
  scenario: string;
  caseId: string;
  faults: Array<{ id: string; kind: string }>;
  /** The bot list as read (its `phase` is the fallback for a bot the phase hash lacks). */
  bots: Array<RosterBot & { phase?: string }>;
  inScope: string[];
  /** How long to wait for the in-scope bots to be Running again after a dead run's lever was cleared. */
  restartBudgetMs: number;
  maxClockOffsetMs?: number;
  /** The hosts' GET /daemons as the runner read them for the roster (readHostDaemons): recorded as they are, not read again. */
  hostChecks?: EndpointCheck[];
  emit: Emit;
  here?: HostView;
  /** Where each thing cleared of a dead run is told to the user as it happens (default: stderr). */
  note?: (line: string) => void;
}

/** A passed preflight: the run's lease, and what it must know to leave the target's record right. */
export interface PreflightPass {
  /** Every op of the case goes through this: the record follows the faults, the lease knows whether a kill is still pulled. */
  see(op: OpInput): void;
  /** Stops the lease; the record stays when a fault or the kill was left behind (the next run's preflight clears it). */
  end(): Promise<void>;
}

/** A token the user gave was refused (401/403): exit 2, not the target's fault. */
export class PreflightInputError extends Error {
  override name = 'PreflightInputError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function preflight(input: PreflightInput): Promise<PreflightPass> {
  const { ep, keyPrefix: prefix, emit } = input;
  const startedAt = nowMs();
  const maxMs = input.maxClockOffsetMs ?? DEFAULT_MAX_CLOCK_OFFSET_MS;
  const here = input.here ?? thisHost();
  const redisShown = withoutPassword(ep.redisUrl);
  const redis = new Redis(ep.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, enableOfflineQueue: false });
  let redisError = '';
  redis.on('error', (e: Error) => void (redisError = e.message));
  const problems: string[] = [];
  const inputProblems: string[] = [];
  const cleared: Cleared[] = [];
  let keepRedis = false;
  const fail = () => {
    const all = [...inputProblems, ...problems];
    emit({ type: 'preflight', ok: false, at: nowMs(), tookMs: nowMs() - startedAt, problems: all, cleared, ...figures });
    const msg = `${all.join('\n')}\nkilldrill: preflight failed, so no fault was injected and no lever pulled`;
    const e = inputProblems.length ? new PreflightInputError(msg) : new Error(msg);
    failed.add(e);
    return e;
  };
  const failed = new WeakSet<Error>();
  const figures: Record<string, unknown> = { maxClockOffsetMs: maxMs, inScope: input.inScope.length };
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      const m = [describeError(err), redisError].filter((x, i, a) => x && a.indexOf(x) === i).join(': ');
      (/NOAUTH|WRONGPASS|invalid password/i.test(m) ? inputProblems : problems).push(`killdrill: preflight: the target's Redis ${redisShown} does not answer: ${m}; check redis.url (and redis.passwordEnv) and that it is up`);
      throw fail();
    }

    // 1. What is on the target now: kills, other runs' records, the proxies, and one answer of every endpoint.
    const withKube = Boolean(ep.kubeconfig);
    const needProxy = Boolean(ep.proxyUrl) && input.faults.length > 0;
    const [endpoints, clock, keys, switches, status, recordsRaw] = await Promise.all([
      probeEndpoints(ep, needProxy, input.hostChecks),
      clockSamples(redis).then(clockOffset, () => null),
      readKillKeys(redis, prefix).then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e: describeError(e) })),
      withKube ? readKillSwitches(ep).then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e: describeError(e) })) : Promise.resolve({ ok: true as const, v: [] as FoundKill[] }),
      ep.brokerUrl ? getJson<BrokerStatus>(`${ep.brokerUrl}/status`, { ...(ep.token !== undefined ? { token: ep.token } : {}) }).then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e: describeError(e) })) : Promise.resolve(null),
      redis.hgetall(runsKey(prefix)).catch(() => ({}) as Record<string, string>),
    ]);
    figures.endpoints = endpoints;
    figures.clock = clock;
    for (const e of endpoints.filter((x) => !x.ok)) (e.refused ? inputProblems : problems).push(endpointProblem(e));
    if (!keys.ok) problems.push(`killdrill: preflight: the kill keys under ${prefix}: could not be read from ${redisShown}: ${keys.e}`);
    if (!switches.ok) problems.push(`killdrill: preflight: the KillSwitches in the target's namespace could not be listed: ${switches.e}; check kubernetes (kubeconfig, context, namespace)`);
    if (status && !status.ok && !endpoints.some((e) => e.endpoint === 'broker' && !e.ok)) problems.push(`killdrill: preflight: the broker's /status could not be read: ${status.e}`);
    if (problems.length || inputProblems.length) throw fail();

    const records: RunRecord[] = Object.values(recordsRaw).flatMap((t) => {
      try {
        return [JSON.parse(t) as RunRecord];
      } catch {
        return [];
      }
    });
    const liveness = new Map<string, RunLiveness>();
    const livenessOf = async (ids: Iterable<string>) => {
      for (const id of ids) if (!liveness.has(id)) liveness.set(id, runLiveness(id, parseLease(await redis.get(leaseKey(prefix, id))), here));
    };
    const readKills = async (): Promise<FoundKill[]> => {
      const halt = status?.ok ? haltOf(status.v) : null;
      return [...(keys.ok ? keys.v : []), ...(switches.ok ? switches.v : []), ...(halt ? [halt] : [])];
    };
    let kills = await readKills();
    await livenessOf([...kills.flatMap((k) => (k.runId ? [k.runId] : [])), ...records.map((r) => r.runId)]);
    const live = (id: string) => liveness.get(id)!;

    // 2. Another killdrill run drilling this target now: refuse, touch nothing.
    const others = records.filter((r) => r.runId !== input.runId && live(r.runId).state === 'live');
    for (const r of others) problems.push(`killdrill: preflight: another killdrill run is drilling this target (${live(r.runId).why}; ${r.scenario} [${r.caseId}]); wait for it to end`);
    if (problems.length) throw fail();

    // 3. A dead run's faults and levers: cleared, each recorded.
    const note = input.note ?? ((l: string) => void process.stderr.write(`${l}\n`));
    const record = (c: Cleared) => {
      cleared.push(c);
      emit({ type: 'dead-run-cleared', at: nowMs(), ...c });
      note(c.ok ? `killdrill: preflight: cleared ${c.what} left by dead run ${c.runId} (${c.how})` : c.error ?? `killdrill: preflight: could not clear ${c.what} of dead run ${c.runId}`);
    };
    // Faults first, as a case's own end does: a link the dead run cut may be the one its lever's release goes through.
    for (const r of records.filter((x) => x.runId !== input.runId && live(x.runId).state === 'dead')) {
      const done = await clearFaults(r);
      for (const c of done) record(c);
      if (done.every((c) => c.ok)) await redis.hdel(runsKey(prefix), r.runId);
      else problems.push(...done.filter((c) => !c.ok).map((c) => c.error!));
    }
    const isDead = (k: FoundKill): k is FoundKill & { runId: string } => ownerOf(k, live).owner === 'dead-run';
    const order = (k: FoundKill) => (k.source === 'killswitch' ? 0 : k.source === 'broker-halt' ? 1 : 2);
    const attempts = new Map<string, number>();
    let dead = kills.filter(isDead);
    if (dead.length) {
      const until = nowMs() + CLEAR_WAIT_MS;
      const halfway = until - CLEAR_WAIT_MS / 2;
      while (dead.length && nowMs() <= until) {
        // One kind a pass, then a fresh look: KillSwitches (their operator clears their keys), then a halt
        // (its resume clears its keys), then the keys still there. An operator's key, or a key that came
        // back, is tried (again) only half-way through the wait; nothing more than twice.
        const first = Math.min(...dead.map(order));
        for (const k of dead.filter((d) => order(d) === first)) {
          const n = attempts.get(k.id) ?? 0;
          if (n >= 2 || ((n === 1 || (k.source === 'redis-key' && k.by === 'operator')) && nowMs() < halfway)) continue;
          attempts.set(k.id, n + 1);
          record(await clearKill(ep, redis, prefix, k));
        }
        await sleep(250);
        const [k2, s2, st2] = await Promise.all([readKillKeys(redis, prefix), withKube ? readKillSwitches(ep) : Promise.resolve([]), ep.brokerUrl ? getJson<BrokerStatus>(`${ep.brokerUrl}/status`, { ...(ep.token !== undefined ? { token: ep.token } : {}) }) : Promise.resolve(null)]);
        const halt = st2 ? haltOf(st2) : null;
        kills = [...k2, ...s2, ...(halt ? [halt] : [])];
        await livenessOf(kills.flatMap((k) => (k.runId ? [k.runId] : [])));
        dead = kills.filter(isDead);
      }
      for (const k of dead) problems.push(`killdrill: preflight: dead run ${k.runId}'s ${k.source === 'killswitch' ? `KillSwitch ${k.id}` : k.source === 'broker-halt' ? `broker ${k.id}` : `kill key ${k.id}`} is still engaged ${CLEAR_WAIT_MS / 1000} s after it was released; check the target's operator and broker`);
    }
    for (const c of cleared.filter((x) => !x.ok)) if (c.error && !problems.includes(c.error)) problems.push(c.error);
    // A dead run's lease that has not expired yet (its process is gone from this host): removed with what it held.
    if (!problems.length) for (const [id, l] of liveness) if (id !== input.runId && l.state === 'dead') await redis.del(leaseKey(prefix, id));

    // 4. A kill still engaged over the case's bots: someone else's, or a live run's — left as it is.
    const roster = input.bots;
    figures.engaged = kills.map((k) => ({ source: k.source, id: k.id, owner: describeOwner(ownerOf(k, live)), covered: botsCovered(k, roster).length }));
    for (const k of kills) {
      const p = engagedProblem(k, ownerOf(k, live), botsCovered(k, roster), input.inScope);
      if (p) problems.push(p);
    }

    // 5. Every in-scope bot Running (waited for when a dead run's lever was just released).
    const fromList = new Map(roster.map((b) => [b.slug, b.phase]));
    const notRunning = async () => {
      const phases = await readPhases(redis, prefix);
      return input.inScope.filter((s) => (phases.get(s) ?? fromList.get(s)) !== 'Running').map((s) => `${s} (${phases.get(s) ?? fromList.get(s) ?? 'no phase'})`);
    };
    let late = await notRunning();
    if (late.length && cleared.length) {
      const until = nowMs() + input.restartBudgetMs;
      while (late.length && nowMs() < until) {
        await sleep(250);
        late = await notRunning();
      }
    }
    figures.notRunning = late;
    if (late.length) problems.push(`killdrill: preflight: ${late.length} in-scope bot(s) are not Running${cleared.length ? ` ${input.restartBudgetMs / 1000} s after the dead run's lever was cleared` : ''}: ${late.slice(0, 10).join(', ')}${late.length > 10 ? ` and ${late.length - 10} more` : ''}; a kill drilled on bots that are not running proves nothing: bring them up first`);

    // 6. The target's clock.
    const cp = clockProblem(clock, maxMs, `the target's Redis (${redisShown})`);
    if (cp) problems.push(cp);
    if (problems.length) throw fail();

    // 7. The lease, and the record of this case's faults (the Toxiproxy's state before them).
    let baseline: Record<string, ProxyState> = {};
    if (needProxy) baseline = await readProxies(ep.proxyUrl!);
    const rec: RunRecord = {
      runId: input.runId, host: here.host, pid: process.pid, startedAt: Date.now(), scenario: input.scenario, caseId: input.caseId,
      proxyUrl: needProxy ? ep.proxyUrl! : null, baseline, faults: Object.fromEntries(input.faults.map((f) => [f.id, { kind: f.kind }])),
    };
    const lease = await takeLease(redis, prefix, rec);
    emit({ type: 'preflight', ok: true, at: nowMs(), tookMs: nowMs() - startedAt, problems: [], cleared, lease: leaseKey(prefix, input.runId), ...figures });
    keepRedis = true;
    return tracker(lease, () => redis.disconnect());
  } catch (err) {
    if (err instanceof Error && failed.has(err)) throw err;
    // Anything else that broke (a read that failed half-way through clearing): recorded as preflight's own failure.
    problems.push(`killdrill: preflight: ${describeError(err).replace(/^killdrill: /, '')}`);
    throw fail();
  } finally {
    if (!keepRedis) redis.disconnect();
  }
}

function describeOwner(o: KillOwner): string {
  return o.owner === 'someone-else' ? 'someone-else' : `${o.owner} ${o.runId}`;
}

function endpointProblem(e: EndpointCheck): string {
  if (e.refused) return `killdrill: preflight: the ${e.endpoint} (${e.url}) refused the token it was given (${e.status}); check the environment variable the target file names for it`;
  return `killdrill: preflight: the ${e.endpoint} (${e.url}) ${e.status ? e.error : `does not answer: ${e.error}`}; check that it is up and its URL`;
}

function tracker(lease: Lease, close: () => void): PreflightPass {
  let pulled = false;
  let saving = Promise.resolve();
  const save = () => {
    saving = saving.then(() => lease.save()).catch(() => undefined);
  };
  return {
    see(op) {
      const f = typeof op.id === 'string' ? lease.record.faults[op.id] : undefined;
      if (op.type === 'lever-issued' && op.lever === 'kill') pulled = true;
      else if (op.type === 'lever-engaged' && op.lever === 'release') pulled = false;
      else if (f && op.type === 'fault-injected' && op.ok !== false) {
        const links = (op.detail as { links?: unknown } | undefined)?.links;
        f.links = Array.isArray(links) ? links.filter((l): l is string => typeof l === 'string') : Object.keys(lease.record.baseline);
        save();
      } else if (f && (op.type === 'fault-healed' ? op.ok !== false : op.type === 'fault-skipped' || (op.type === 'fault-injected' && op.ok === false))) {
        f.healed = true;
        save();
      }
    },
    async end() {
      await saving;
      const faultLeft = Object.values(lease.record.faults).some((f) => f.links && !f.healed);
      try {
        await lease.stop(pulled || faultLeft);
      } finally {
        close();
      }
    },
  };
}
