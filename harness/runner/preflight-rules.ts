// The pure rules of preflight (docs/safety.md "Preflight"): the target's clock offset and its bound,
// whose a lever found engaged on the target is (a killdrill run's, by the run id it carries, or
// someone else's), and whether the run that pulled it is alive (its lease). No I/O here.
import { SCOPES, type Scope } from '../../contracts/index.ts';
import { inScopeBots, type RosterBot } from './in-scope.ts';

/** Default of `run --max-clock-offset`: the target's clock may be this far from the harness's, uncertainty included. */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 250;

/** One clock round trip: the harness's time when it asked and when the answer came, the target's time in between. */
export interface ClockSample {
  sentAt: number;
  receivedAt: number;
  targetMs: number;
}

export interface ClockOffset {
  /** target − harness, from the sample with the shortest round trip (NTP's rule). */
  offsetMs: number;
  /** That sample's round trip; the offset is known to ± rttMs / 2. */
  rttMs: number;
  /** |offset| + rtt/2: the most the target's clock can be off the harness's, given the measurement. */
  boundMs: number;
  samples: number;
}

/** The offset of the target's clock (NTP-style: offset ± RTT/2 of the fastest round trip); null without a sample. */
export function clockOffset(samples: ClockSample[]): ClockOffset | null {
  const ok = samples.filter((s) => Number.isFinite(s.sentAt) && Number.isFinite(s.receivedAt) && Number.isFinite(s.targetMs) && s.receivedAt >= s.sentAt);
  if (!ok.length) return null;
  const best = ok.reduce((a, b) => (b.receivedAt - b.sentAt < a.receivedAt - a.sentAt ? b : a));
  const rttMs = best.receivedAt - best.sentAt;
  const offsetMs = best.targetMs - (best.sentAt + best.receivedAt) / 2;
  return { offsetMs, rttMs, boundMs: Math.abs(offsetMs) + rttMs / 2, samples: ok.length };
}

/** What preflight will do, for `run --dry-run` (which runs none of it). */
export function describePreflight(maxClockOffsetMs: number): string {
  return `  preflight (before any fault or lever; a dry run probes nothing): clear a dead killdrill run's levers and faults (by run id and its record); every endpoint the case reads answers; every in-scope bot Running; no kill engaged over them (kill keys, KillSwitches, the broker's /status); the target's clock within ${maxClockOffsetMs} ms of the harness's (Redis TIME, offset ± RTT/2); then the run's lease`;
}

const fmt = (ms: number) => `${Math.round(ms * 10) / 10} ms`;

/** Why the offset is not bounded within maxMs (null: it is). */
export function clockProblem(m: ClockOffset | null, maxMs: number, source: string): string | null {
  if (!m) return `killdrill: preflight: the clock of ${source} could not be read (no TIME answer), so its offset from the harness's cannot be bounded; check that the target's Redis answers TIME`;
  if (m.rttMs / 2 > maxMs)
    return `killdrill: preflight: the clock of ${source} cannot be bounded within ${fmt(maxMs)}: its fastest of ${m.samples} round trips took ${fmt(m.rttMs)}, so the offset is only known to ± ${fmt(m.rttMs / 2)}; drill from closer to the target, or raise --max-clock-offset`;
  if (m.boundMs > maxMs)
    return `killdrill: preflight: the clock of ${source} is ${fmt(m.offsetMs)} ± ${fmt(m.rttMs / 2)} off the harness's (up to ${fmt(m.boundMs)}), more than --max-clock-offset ${fmt(maxMs)}; fix the target's time sync (NTP), or raise --max-clock-offset`;
  return null;
}

/** The run id a lever's reason carries (`killdrill run <runId>: …`, run-marks.ts leverReason), else null. */
export function runIdOfReason(reason: unknown): string | null {
  if (typeof reason !== 'string') return null;
  const m = /^killdrill run (\S+):/.exec(reason);
  return m ? m[1] : null;
}

/** A kill key's value: its reason (JSON `{mode, reason, by, at}`; any other text is the reason itself, docs/contracts.md §2). */
export function keyValueFields(value: string | null): { reason: string | null; by: string | null; mode: string | null } {
  if (value === null) return { reason: null, by: null, mode: null };
  try {
    const v = JSON.parse(value) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const s = (x: unknown) => (typeof x === 'string' ? x : null);
      return { reason: s(o.reason), by: s(o.by), mode: s(o.mode) };
    }
  } catch {
    // not JSON: the whole value is the reason
  }
  return { reason: value, by: null, mode: null };
}

/** `<prefix>:<scope>:<target>` → scope and target; null when the key is not a kill key of this prefix. */
export function parseKillKey(prefix: string, key: string): { scope: Scope; target: string } | null {
  if (!key.startsWith(prefix + ':')) return null;
  const rest = key.slice(prefix.length + 1);
  const i = rest.indexOf(':');
  if (i <= 0) return null;
  const scope = rest.slice(0, i);
  const target = rest.slice(i + 1);
  return (SCOPES as readonly string[]).includes(scope) && target ? { scope: scope as Scope, target } : null;
}

/** What the lease key of a run holds (preflight-lease.ts): who the harness is, so a dead one can be told from a live one. */
export interface LeaseValue {
  runId: string;
  host: string;
  pid: number;
  /** The process's start time (Linux /proc/<pid>/stat field 22), so a reused pid is not taken for the run. */
  procStart?: string | null;
  startedAt: number;
  ttlMs: number;
}

/** What the harness can tell of a process on its own host. */
export interface HostView {
  host: string;
  /** null: cannot tell (no /proc, no permission); else whether `pid` with that start time is running. */
  alive(pid: number, procStart: string | null | undefined): boolean | null;
}

export type RunLiveness = { state: 'live'; why: string } | { state: 'dead'; why: string };

/**
 * A run is live while its lease key exists (it refreshes it; TTL) — unless the lease names a process
 * on this very host that is not running (a SIGKILLed harness: its lease would still live for up to
 * its TTL). A lease from another host is taken as live until it expires.
 */
export function runLiveness(runId: string, lease: LeaseValue | null, here: HostView): RunLiveness {
  if (!lease) return { state: 'dead', why: `killdrill run ${runId} holds no lease on the target (it ended without releasing this, or was killed)` };
  if (lease.host === here.host) {
    const alive = here.alive(lease.pid, lease.procStart);
    if (alive === false) return { state: 'dead', why: `killdrill run ${runId}'s lease names pid ${lease.pid} on this host (${here.host}), which is not running (killed)` };
    return { state: 'live', why: `killdrill run ${runId} (pid ${lease.pid} on ${lease.host}) is running and holds its lease` };
  }
  return { state: 'live', why: `killdrill run ${runId} (pid ${lease.pid} on ${lease.host}) holds a live lease on the target (if that run was killed, its lease expires within ${Math.round(lease.ttlMs / 1000)} s: run again then)` };
}

/** A kill found engaged on the target, wherever it was found. */
export interface FoundKill {
  /** `redis-key`, `killswitch`, `broker-status` (an engaged key the broker lists) or `broker-halt` (a halt level). */
  source: 'redis-key' | 'killswitch' | 'broker-halt';
  /** The key, `<ns>/<name>` of a KillSwitch, or `haltLevel N`. */
  id: string;
  scope: string;
  target: string;
  level?: number;
  asset?: string;
  reason: string | null;
  by?: string | null;
  /** The run id it carries (its reason, or a KillSwitch's label mapped back), else null. */
  runId: string | null;
}

export type KillOwner =
  | { owner: 'dead-run'; runId: string; why: string }
  | { owner: 'live-run'; runId: string; why: string }
  | { owner: 'someone-else'; why: string };

/** Whose a found kill is: a dead run's (cleared), a live run's or someone else's (never touched). */
export function ownerOf(k: FoundKill, liveness: (runId: string) => RunLiveness): KillOwner {
  if (!k.runId) return { owner: 'someone-else', why: `its reason (${JSON.stringify(k.reason)}) names no killdrill run id: a person or another tool engaged it` };
  const l = liveness(k.runId);
  return l.state === 'dead' ? { owner: 'dead-run', runId: k.runId, why: l.why } : { owner: 'live-run', runId: k.runId, why: l.why };
}

/** The bots of `roster` a found kill covers (a halt level by its own rules), by the harness's in-scope rules. */
export function botsCovered(k: FoundKill, roster: RosterBot[]): string[] {
  // Levels 2+ go by the daemons' tags; a bot list without any cannot say, so the halt is taken to cover every bot.
  if (k.source === 'broker-halt' && (k.level ?? 0) >= 2 && !roster.some((b) => b.tags?.length)) return roster.map((b) => b.slug);
  const scope = k.source === 'broker-halt' ? { path: 'broker-level', scope: 'platform', target: 'platform', level: k.level, ...(k.asset ? { asset: k.asset } : {}) } : { path: 'redis', scope: k.scope, target: k.target };
  return inScopeBots(roster, scope).map((b) => b.slug);
}

/** The refusal for a kill someone else (or a live run) holds over the case's in-scope bots, or null when it covers none of them. */
export function engagedProblem(k: FoundKill, owner: KillOwner, covered: string[], inScope: string[]): string | null {
  if (owner.owner === 'dead-run') return null;
  const mine = covered.filter((s) => inScope.includes(s));
  if (!mine.length) return null;
  const what = k.source === 'killswitch' ? `KillSwitch ${k.id}` : k.source === 'broker-halt' ? `the broker's ${k.id}` : `kill key ${k.id}`;
  const shown = mine.slice(0, 5).join(', ') + (mine.length > 5 ? ` and ${mine.length - 5} more` : '');
  return `killdrill: preflight: ${what} is already engaged over ${mine.length} in-scope bot(s) (${shown}); ${owner.why}. killdrill leaves it engaged: release it (or wait for that run to end) before drilling`;
}
