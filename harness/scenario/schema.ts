// THE scenario schema (DESIGN.md §3): one zod schema; scenarios/schema.json is generated from it
// (`npm run scenario-schema`). Unknown fields are errors everywhere.
import { z } from 'zod';
import { BOT_CLASSES, BREAKERS, BUGS, MODES, QUEUE_POLICIES, SCOPES } from '../../contracts/index.ts';
import { CHECKER_NAMES } from '../checkers/names.ts';
import { BREAKER_FAULTS } from '../checkers/breaker-faults.ts';
import { DURATION_PATTERN, parseDuration } from './duration.ts';
import { MATRIX_KEYS } from './matrix-keys.ts';
import { loopbackUrlProblem } from '../../lib/loopback-url.ts';
import { PEAK_RATE, peakFactor } from '../load/peak.ts';

const duration = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), "a duration such as '250ms', '10s', '1.5s' or '5m'")
  .describe("A duration: '250ms', '10s', '1.5s', '5m', '1h'.");
const name = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case: lower-case letters, digits and dashes');
const checker = z.enum(CHECKER_NAMES);
const KILL_PATHS = ['rest', 'redis', 'broker-level', 'crd', 'sigterm', 'file'] as const;
const text = z.string().min(1);

const target = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a bot slug, fleet, tenant, group, asset, capability or run name');
const targets = z.partialRecord(z.enum(SCOPES), target).describe(
  'Target per scope, used when the matrix sets kill.scope to a scope other than the one written in kill.scope. ' +
    "Missing scopes fall back to the preset's default target (harness/scenario/targets.ts; platform is always 'platform').",
);

// No budgetS here: the harness's budgets are expect.time-to-stop.budgetS (the fleet does not use one).
const classSpec = z.strictObject({
  tickMs: z.number().int().min(1).max(600_000).optional(),
  drainMs: z.number().int().min(0).max(600_000).optional(),
});
const overrides = z
  .strictObject({
    pollIntervalS: z.number().min(0.05).max(3600).optional(),
    gatewayCheck: z.boolean().optional(),
    defaultMode: z.enum(MODES).optional(),
    classes: z.partialRecord(z.enum(BOT_CLASSES), classSpec).optional(),
    keyPrefix: z.string().regex(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)+$/, 'a colon-separated Redis key prefix such as alphaswarm:bots:killswitch').optional(),
    agents: z.record(z.string(), z.unknown()).optional().describe('Preset agents: the agent workers\' load and provider settings (fleet-sim/agents/options.ts, e.g. { childRate: 0.5, chunkMs: 200 }); each worker refuses an unknown or bad one at start.'),
    bootHalted: z.boolean().optional().describe("Kubernetes' default posture (EXECUTION_HALTED: \"1\"): the halt file says 1 before the fleet starts, so it boots halted (preflight then refuses: no bot is Running)."),
    market: z
      .strictObject({ barMs: z.number().int().min(20).max(60_000).optional(), sigma: z.number().min(0).max(0.5).optional(), shockFactor: z.number().min(1).max(1000).optional(), adverseSlip: z.number().min(0).max(0.5).optional() })
      .optional()
      .describe("The venue's market-data feed: a bar per asset every barMs (250), log-return σ (0.001), the price-shock fault's σ multiplier (8), the adverse-fills fault's slip off the last close (0.01)."),
    breakers: z
      .strictObject({ marketDataStaleMs: z.number().int().min(0).max(600_000).optional(), volRatioThreshold: z.number().min(0).max(1000).optional(), volRecentN: z.number().int().min(2).max(1000).optional(), volBaselineN: z.number().int().min(2).max(5000).optional(), maxConsecutiveLosses: z.number().int().min(0).max(1000).optional(), lossCooldownS: z.number().min(0.1).max(86_400).optional() })
      .optional()
      .describe("Seed 003's circuit breakers (off: 0): market-data trips when no bar of a bot's asset is newer than marketDataStaleMs; volatility when σ of the last volRecentN returns over σ of the volBaselineN before them exceeds volRatioThreshold; consecutive-losses (the gateway) refuses a bot's new orders for lossCooldownS (10) once its last maxConsecutiveLosses closing fills all lost (FIFO). Process runtime only."),
    scaleOut: z.array(z.string().min(1)).max(20).optional().describe('Bot daemons that get a standby replica <daemon>-2 (a copy of their bots, slugs <slug>-r2), started only by the scale-out fault.'),
    proxyUrl: z
      .string()
      .superRefine((v, ctx) => {
        const p = loopbackUrlProblem(v);
        if (p) ctx.addIssue({ code: 'custom', message: p });
      })
      .optional()
      .describe(
        "An external Toxiproxy's API (http://127.0.0.1:<port>): the fleet starts no fault proxy of its own, creates its links on this one and removes them when it stops; every network fault is driven on it (docs/faults.md). Process runtime only.",
      ),
  })
  .describe('FleetConfig fields (docs/contracts.md §1).');

const heal = z
  .union([duration, z.literal('end')])
  .default('end')
  .describe("Heal this long after injection, or 'end' (the default): heal when the run ends.");
const nonNeg = z.number().min(0).max(600_000);
const linkName = z.string().min(1).describe('A proxy name from docs/contracts.md §12, e.g. bots-redis-sub.node-a');
const faultBase = { at: duration.describe('When to inject, from the start of the load.'), heal, id: name.optional() };
const feedAssets = z
  .strictObject({
    assets: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'an asset name such as AAPL or DOGE-USD'))
      .min(1, 'name at least one asset, or leave assets out for every asset')
      .max(100)
      .optional()
      .describe("The assets whose feed the fault hits (assets the roster's bots trade); absent: every asset."),
  })
  .optional();
const fault = z.discriminatedUnion('kind', [
  z.strictObject({ ...faultBase, kind: z.literal('process-kill'), params: z.strictObject({ target: text.describe('A component or daemon name') }) }),
  z.strictObject({ ...faultBase, kind: z.literal('process-term'), params: z.strictObject({ target: text.describe('A component or daemon: SIGTERM, its drain and exit, then started again') }) }),
  z.strictObject({
    ...faultBase,
    kind: z.literal('crash-loop'),
    params: z.strictObject({
      target: text.describe('A daemon its supervisor restarts (KeepAlive)'),
      times: z.number().int().min(1).max(20).optional().describe('SIGKILLs in all (default 3): the first at injection, then each time it comes back'),
      upS: z.number().min(0).max(60).optional().describe('How long each restarted process lives before the next kill (default 1)'),
    }),
  }),
  z.strictObject({ ...faultBase, kind: z.literal('scale-out'), params: z.strictObject({ target: text.describe('A bot daemon named in fleet.overrides.scaleOut: its standby replica <target>-2 starts (a pod the HPA adds)') }) }),
  z.strictObject({ ...faultBase, kind: z.literal('process-pause'), params: z.strictObject({ target: text }) }),
  z.strictObject({ ...faultBase, kind: z.literal('redis-down'), params: z.strictObject({}).optional() }),
  z.strictObject({ ...faultBase, kind: z.literal('operator-down'), params: z.strictObject({}).optional() }),
  z.strictObject({ ...faultBase, kind: z.literal('broker-restart'), params: z.strictObject({}).optional() }),
  z.strictObject({ ...faultBase, kind: z.literal('auth-outage'), params: z.strictObject({}).optional() }).describe('Seed 001 scenario D: the auth provider\'s JWKS answers 503 until the heal; every authenticated broker request fails closed (503 jwks_unreachable). Process runtime.'),
  z.strictObject({ ...faultBase, kind: z.literal('redis-failover'), params: z.strictObject({}).optional() }).describe('Seed 001 "Stateful service failover": redis-server SIGKILLed and started again at once (the StatefulSet brings the pod back); it comes back from its append-only file, or empty when the fleet does not persist (bug kill-keys-not-persisted).'),
  z.strictObject({ ...faultBase, kind: z.literal('market-data-gap'), params: feedAssets }).describe("Seed 003's market-data breaker: the venue's market-data feed (GET /bars) gives no new bar of the assets until the heal (control API venue gap/feed). Process runtime."),
  z.strictObject({ ...faultBase, kind: z.literal('price-shock'), params: feedAssets }).describe("Seed 003's volatility breaker: the assets' per-bar volatility is multiplied by the fleet's market.shockFactor until the heal (control API venue shock/calm). Process runtime."),
  z.strictObject({ ...faultBase, kind: z.literal('adverse-fills'), params: feedAssets }).describe("Seed 003's consecutive-losses breaker: the venue fills the assets' orders the fleet's market.adverseSlip off the last close, against the bot (buys higher, sells lower), until the heal (control API venue adverse/fair): every round trip loses. Process runtime."),
  z.strictObject({ ...faultBase, kind: z.literal('link-latency'), params: z.strictObject({ link: linkName, latencyMs: nonNeg, jitterMs: nonNeg.optional() }) }),
  z.strictObject({ ...faultBase, kind: z.literal('link-down'), params: z.strictObject({ link: linkName }) }),
  z.strictObject({
    ...faultBase,
    kind: z.literal('pubsub-drop'),
    params: z
      .strictObject({
        form: z.enum(['silent', 'channel']).optional(),
        host: text.optional(),
        channel: text.optional().describe("channel form only: the kill events channel, <keyPrefix>:events of this fleet (the default when left out); any other channel is refused"),
      })
      .optional(),
  }),
  z.strictObject({ ...faultBase, kind: z.literal('partition'), params: z.strictObject({ host: text }) }),
  z.strictObject({ ...faultBase, kind: z.literal('rogue-bot'), params: z.strictObject({ target: text.describe('A bot daemon whose bots ignore their kill state until the heal') }) }),
  z.strictObject({
    ...faultBase,
    kind: z.literal('flag-store-silent'),
    params: z
      .strictObject({ form: z.enum(['freeze', 'blackhole']).optional().describe('freeze (default): Redis SIGSTOPped; blackhole: the bots\' poll and subscriber links pass no byte, held open.'), host: text.optional().describe('blackhole only: one host\'s links') })
      .optional(),
  }),
]);

const kill = z.strictObject({
  at: duration.describe('When to pull the lever, from the start of the load; not before load.warmup.'),
  path: z.enum(KILL_PATHS),
  scope: z.enum(SCOPES),
  target: target.optional().describe("Optional: defaults to kill.targets[scope], then the preset's default target for the scope."),
  targets: targets.optional(),
  mode: z.enum(MODES).default('cancel'),
  level: z.number().int().min(1).max(4).optional().describe('Halt level 1–4; required for path broker-level, ignored by the other paths (so a matrix over kill.path can carry it).'),
  asset: z.string().min(1).optional().describe('Level 1 only: the asset to halt (default DOGE-USD).'),
  queue: z
    .enum(QUEUE_POLICIES)
    .optional()
    .describe("An agent fleet's queued work under this kill (seed 004): discard removes it (journaled as not run, re-queued on release), drain lets it be taken and do nothing. Written into the kill value's `queue` field by the rest and redis paths; absent: discard. Preset agents only."),
  fallback: z
    .strictObject({ path: z.enum(KILL_PATHS).describe('The runbook\'s fallback path, with the same scope, target and mode.') })
    .optional()
    .describe('Pulled at once when the kill path fails (its lever-failed): the drill records which path worked (lever-fallback, result.killAttempts); budgets run from the fallback\'s issue, and the release goes by it.'),
});

// load.k6: external load on the target's control plane, driven by k6 (docs/load.md).
const k6Stage = z.strictObject({ target: z.number().min(0).max(100_000).describe('Requests/s at the end of this stage.'), duration });
// The target's measured peak of control-plane traffic (docs/load.md "2x-peak"): what `<N>x-peak` multiplies.
export const PeakSchema = z
  .strictObject({
    brokerRequestsPerS: z.number().gt(0, 'a peak above 0 requests/s').max(100_000).describe("The highest requests/s the broker API served in production over one second (e.g. the 1-s maximum of its request counter)."),
    measured: z.string().min(10, 'say where, when and how the peak was measured (at least 10 characters)').describe('Where, when and how the peak was measured: a peak nobody measured is a guess.'),
  })
  .describe("The target's measured peak of control-plane traffic; load.k6.rate '2x-peak' runs at twice it.");
const k6Rate = z
  .union([
    z.string().regex(PEAK_RATE, "a rate: '2x-peak' (N times the target's measured peak, <N>x-peak), { constant: N } or { ramping: [...] }").describe("N times the target's measured peak (fleet.peak, or the target file's peak): '2x-peak'."),
    z.strictObject({ constant: z.number().gt(0, 'a rate above 0 requests/s').max(100_000).describe('Requests/s, held until the case ends.') }),
    z.strictObject({
      ramping: z.array(k6Stage).min(1, 'a ramping rate needs at least one stage ({target, duration})').max(100),
      start: z.number().min(0).max(100_000).optional().describe('Requests/s at the start (default 0).'),
    }),
  ])
  .describe("Arrival rate (the shipped scripts make one request per iteration): '2x-peak' (twice the target's measured peak), { constant: N } or { ramping: [{target, duration}…], start? } (k6's ramping arrival rate; the last target is held until the case ends).");
const loadK6 = z
  .strictObject({
    script: z.string().min(1).describe("A script shipped in load/ by name (e.g. 'broker-ui'), or a path to your own k6 script (.ts or .js), relative to this file."),
    rate: k6Rate,
    vus: z.number().int().min(1).max(10_000).optional().describe('Most VUs k6 may use to hold the rate (default: the peak rate in requests/s, at least 10, at most 400).'),
    thresholds: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional().describe("k6 thresholds, e.g. { http_req_failed: ['rate<0.01'] }: one crossed fails load-held, so the case."),
  })
  .describe('Drive load with k6 from before the warm-up to the end of the case; judged by load-held.');

/** One leg of a `sequence:` (a drill of several levers on one fleet): its own lever, judged as its own case. */
const leg = z
  .strictObject({
    path: z.enum(KILL_PATHS).describe('The kill path of this leg.'),
    scope: z.enum(SCOPES).optional().describe("Default: kill.scope."),
    target: target.optional().describe('Default: kill.target (or the scope\'s default target).'),
    mode: z.enum(MODES).optional().describe('Default: kill.mode.'),
    level: z.number().int().min(1).max(4).optional().describe('Halt level, for path broker-level.'),
    asset: z.string().min(1).optional().describe('Level 1 only: the asset to halt.'),
  })
  .describe('A leg: kill: with these fields replaced; it starts once every bot is Running again after the previous leg\'s release.');
const sequence = z
  .array(leg)
  .min(1, 'a sequence needs at least one leg (- path: crd)')
  .max(16)
  .describe('Levers pulled one after another on ONE fleet, each leg judged as its own case (the quarterly drill: crd, rest, redis). The first leg\'s path is kill.path.');

const budgetS = z.number().gt(0).max(86_400);
const expect = z.strictObject({
  'time-to-draining': z
    .strictObject({
      budgetS: budgetS.optional().describe("Every in-scope bot Draining within this (default: the path's promise, harness/checkers/propagation-budgets.ts: rest, crd, broker-level 1 s; redis 10 s)."),
      byPath: z.partialRecord(z.enum(KILL_PATHS), budgetS).optional().describe('Budget per kill path (for a matrix over kill.path); wins over budgetS for that path.'),
    })
    .optional(),
  'time-to-stop': z
    .strictObject({ budgetS: z.partialRecord(z.enum(BOT_CLASSES), budgetS).optional().describe('Per class (defaults hft 30, others 300).') })
    .optional(),
  'post-flip-effects': z.strictObject({ max: z.number().int().min(0).optional().describe('Violations allowed (default 0).') }).optional(),
  'stop-claims-verified': z.strictObject({ graceS: budgetS.optional().describe('How long after a claim its daemon exit may be seen (default 5).') }).optional(),
  'halt-state-durable': z.strictObject({ graceS: budgetS.optional().describe('Status views this soon after engagedAt are not judged (default 2).') }).optional(),
  'journal-consistent': z.strictObject({}).optional(),
  'restart-after-release': z.strictObject({ budgetS: budgetS.optional().describe('Every in-scope bot Running within this after the release (default 30).') }).optional(),
  'mode-work-done': z.strictObject({}).optional(),
  'bot-gate-held': z.strictObject({}).optional(),
  'out-of-scope-unaffected': z.strictObject({}).optional(),
  'no-partial-orders': z.strictObject({}).optional().describe('Opt-in: runs only when named here. Every daemon that journaled shutdown-requested started no submission after it and left none open at exit.'),
  'resume-respects-halt': z.strictObject({}).optional().describe('Runs when named here or when an agent worker resumed a run from its run journal while the kill may have held it (preset agents, a process-kill of a worker). A run resumed while halted did nothing until the release, then resumed from its journal; no planned effect landed twice.'),
  'boots-halted': z.strictObject({}).optional().describe('Opt-in: runs only when named here. Every bot daemon that starts while the kill is engaged reports its in-scope bots Stopped (never Running) before any effect the mode forbids.'),
  'breaker-tripped': z
    .strictObject({
      breaker: z.enum(BREAKERS).describe('Which circuit breaker is drilled: market-data (by a market-data-gap fault), volatility (by a price-shock fault) or consecutive-losses (by an adverse-fills fault).'),
      budgetS: budgetS.optional().describe("Every affected bot's breaker trips within this of the fault's injection, and the bot is flat by then plus this (default 2; for volatility include the breaker's recent window); consecutive-losses: the trip is journaled, and the bot's orders refused, within this of its Nth losing close."),
      losses: z.number().int().min(1).max(1000).optional().describe('consecutive-losses (required there): N, the losing closes in a row that trip it, as the fleet is configured (breakers.maxConsecutiveLosses).'),
      cooldownS: z.number().min(0.1).max(86_400).optional().describe('consecutive-losses: how long a trip refuses orders (default 10), as the fleet is configured (breakers.lossCooldownS).'),
    })
    .superRefine((v, ctx) => {
      if (v.breaker === 'consecutive-losses' && v.losses === undefined) ctx.addIssue({ code: 'custom', path: ['losses'], message: 'breaker consecutive-losses needs losses: the N losing closes in a row the fleet trips on (its breakers.maxConsecutiveLosses)' });
      if (v.breaker !== 'consecutive-losses' && (v.losses !== undefined || v.cooldownS !== undefined)) ctx.addIssue({ code: 'custom', path: ['losses'], message: `losses and cooldownS are for breaker consecutive-losses; drop them for ${v.breaker}` });
    })
    .optional()
    .describe("Opt-in: runs only when named here. Seed 003's circuit breakers: after the first market-data-gap (market-data) or price-shock (volatility) fault, every non-agent bot trading its assets journals its breaker tripped within budgetS, opens nothing while tripped, and is flat (no net position, no resting order) within budgetS of the trip, and no bot on another asset is tripped then; a breaker error (could not evaluate) fails. consecutive-losses (adverse-fills): every trip the ledger's own FIFO P&L calls for is journaled within budgetS and no order of the bot lands until it ends."),
  'load-held': z.strictObject({}).optional().describe('Runs whenever load.k6 is set; naming it without load.k6 makes the case unknown (not drilled under load).'),
  'fail-closed-within': z
    .strictObject({
      fault: name.optional().describe('The fault id to measure from (default: the first flag-store-silent or redis-down fault).'),
      budgetS: budgetS.optional().describe("Every bot in the fault's reach Draining within this of the injection (default: the staleness bound 2 × pollIntervalS + 1 s, plus 0.5 s for the health check)."),
    })
    .optional()
    .describe('Opt-in: this checker runs only when named here.'),
  // The agent fleet's (preset agents, docs/agents.md "Checkers"): opt-in, each runs only when named here.
  'inflight-cancelled': z.strictObject({ budgetS: budgetS.optional().describe('Every call in scope open at engagedAt aborted within this (default 1, seed 004).') }).optional().describe('Opt-in. Every LLM or tool call in scope open at the flip was aborted within the budget; one that ran to completion is listed with how long it bled.'),
  'queue-policy': z.strictObject({ budgetS: budgetS.optional().describe('The propagation tail (default 1).') }).optional().describe("Opt-in. The kill's queue policy (discard by default) honoured for the runs in scope; the queue state at T+0 and T+60 s in the evidence."),
  'timers-cancelled': z.strictObject({ budgetS: budgetS.optional().describe('The propagation tail (default 1).') }).optional().describe('Opt-in. No timer or delayed retry set before the flip fires after it.'),
  'children-stopped': z.strictObject({ budgetS: budgetS.optional().describe('The propagation tail (default 1).') }).optional().describe('Opt-in. No child run in scope is spawned or steps after the flip.'),
  'capability-scope': z.strictObject({ budgetS: budgetS.optional().describe('The propagation tail (default 1).') }).optional().describe('Opt-in. A capability kill: no write in scope starts after the flip; reads go on.'),
});

/** A simulated fleet: the scenario's `fleet:` (also the `simulated` target's fields, harness/target/schema.ts). */
export const FleetSchema = z.strictObject({
  preset: z.enum(['alphaswarm', 'principal', 'agents']).default('alphaswarm'),
  bots: z.number().int().min(1).max(20_000).optional(),
  bugs: z.array(z.enum(BUGS)).default([]),
  overrides: overrides.default({}),
  peak: PeakSchema.optional(),
});
export const RuntimeSchema = z.enum(['process', 'docker']).default('process');

const matrixValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
const matrix = z
  .partialRecord(z.enum(MATRIX_KEYS), z.array(matrixValue).min(1).max(32))
  .describe("Repeat the scenario over every combination (cartesian product); case ids look like 'kill.scope=bot,kill.mode=cancel'.");

export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editor hint: path to scenarios/schema.json.'),
    name,
    description: text,
    incident: z.strictObject({ seed: z.string().regex(/^\d{3}$/, "a seed document number such as '002'"), title: text }).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    runtime: RuntimeSchema,
    fleet: FleetSchema,
    load: z.strictObject({
      warmup: duration.describe('Load before any lever may be pulled; the runner checks effects reached the venue by its end (else the case is errored).'),
      duration: duration.describe('The hard cap of the case from the start of the load: the runner stops watching when it runs out, and the verdicts still waiting are unknown.'),
      k6: loadK6.optional(),
    }),
    faults: z.array(fault).default([]),
    kill,
    release: z.strictObject({ after: duration.describe('Release this long after the kill was issued.') }).optional(),
    expect: expect.default({}),
    detects: z.array(checker).optional().describe('Incident reproduction: exactly these checkers must fail; every other must pass.'),
    skip: z.array(checker).optional().describe('Checkers not run for this scenario (e.g. restart-after-release without a release).'),
    matrix: matrix.optional(),
    sequence: sequence.optional(),
  })
  .superRefine((s, ctx) => {
    const ms = (d: string) => parseDuration(d) ?? 0;
    const add = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
    const warmup = ms(s.load.warmup);
    const total = ms(s.load.duration);
    const killAt = ms(s.kill.at);
    if (warmup > total) add(['load', 'warmup'], `the warm-up (${s.load.warmup}) is longer than the whole load (${s.load.duration})`);
    for (const problem of queuePolicyProblems(s.kill, s.fleet.preset)) add(['kill', 'queue'], problem);
    if (killAt < warmup) add(['kill', 'at'], `the kill at ${s.kill.at} comes before the warm-up ends (${s.load.warmup}); move it to ${s.load.warmup} or later`);
    if (killAt >= total) add(['kill', 'at'], `the kill at ${s.kill.at} is not inside the load (${s.load.duration})`);
    if (s.release) {
      const after = ms(s.release.after);
      if (after <= 0) add(['release', 'after'], 'the release must come after the kill: use a duration above 0');
      else if (killAt + after >= total) add(['release', 'after'], `the release (kill.at + ${s.release.after}) falls after the load ends (${s.load.duration})`);
    }
    // The last moment the runner is sure to be running: the release (it may stop watching as soon as
    // every bot stopped, and earlier when the case is decided), or the kill when there is no release.
    const sureUntil = s.release ? killAt + ms(s.release.after) : killAt;
    const sureWhat = s.release ? `the release (kill.at ${s.kill.at} + release.after ${s.release.after})` : `the kill at ${s.kill.at} (without a release the run may end as soon as every bot stopped)`;
    s.faults.forEach((f, i) => {
      if (ms(f.at) >= total) add(['faults', i, 'at'], `the fault at ${f.at} is not inside the load (${s.load.duration})`);
      else if (ms(f.at) > sureUntil) add(['faults', i, 'at'], `the fault at ${f.at} comes after ${sureWhat}, the last moment the run is sure to still be running, so it might never be injected; move it to ${fmt(sureUntil)} or earlier${s.release ? ', or release later' : ', or add a release after it'}`);
    });
    const ramp = s.load.k6?.rate;
    if (ramp && peakFactor(ramp) === 0) add(['load', 'k6', 'rate'], `${ramp}: the factor must be above 0, e.g. 2x-peak`);
    else if (ramp && peakFactor(ramp) !== null && !s.fleet.peak) add(['load', 'k6', 'rate'], `${ramp} is a multiple of the target's measured peak of broker API requests/s, and this fleet declares none; add fleet.peak { brokerRequestsPerS, measured } (where, when and how it was measured), or give a constant rate`);
    if (ramp && typeof ramp === 'object' && 'ramping' in ramp && ramp.ramping.length && Math.max(ramp.start ?? 0, ...ramp.ramping.map((r) => r.target)) <= 0) add(['load', 'k6', 'rate', 'ramping'], 'every stage targets 0 requests/s: no load would run; give a stage a target above 0');
    if (s.skip && CHECKER_NAMES.every((c) => s.skip!.includes(c))) add(['skip'], 'every checker is skipped, so the case would judge nothing and could never fail; remove at least one checker from skip');
    const ids = s.faults.map((f, i) => f.id ?? `${f.kind}-${i + 1}`);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) add(['faults', i, 'id'], `duplicate fault id '${id}'`);
    });
    const fcw = s.expect['fail-closed-within'];
    if (fcw?.fault !== undefined && !ids.includes(fcw.fault)) add(['expect', 'fail-closed-within', 'fault'], `no fault has id '${fcw.fault}' (fault ids: ${ids.join(', ') || 'none'})`);
    if (fcw && fcw.fault === undefined && !s.faults.some((f) => f.kind === 'flag-store-silent' || f.kind === 'redis-down')) add(['expect', 'fail-closed-within'], 'no flag-store-silent or redis-down fault to measure from: add one, or name a fault id in fault');
    const bt = s.expect['breaker-tripped'];
    const drill = bt ? BREAKER_FAULTS[bt.breaker] : 'market-data-gap';
    const br = s.fleet.overrides.breakers;
    if (bt?.breaker === 'consecutive-losses' && br?.maxConsecutiveLosses !== undefined && bt.losses !== undefined && br.maxConsecutiveLosses !== bt.losses)
      add(['expect', 'breaker-tripped', 'losses'], `losses ${bt.losses} differs from the fleet's breakers.maxConsecutiveLosses ${br.maxConsecutiveLosses}: the drill judges the fleet by the N it is configured with; make them equal`);
    if (bt?.breaker === 'consecutive-losses' && br?.lossCooldownS !== undefined && (bt.cooldownS ?? 10) !== br.lossCooldownS)
      add(['expect', 'breaker-tripped', 'cooldownS'], `cooldownS ${bt.cooldownS ?? '10 (the default)'} differs from the fleet's breakers.lossCooldownS ${br.lossCooldownS}; make them equal`);
    if (bt && !s.faults.some((f) => f.kind === drill)) add(['expect', 'breaker-tripped'], `no ${drill} fault to drill the ${bt.breaker} breaker with: add one to faults (e.g. { at: 4s, kind: ${drill}, heal: 5s }), or drop breaker-tripped`);
    if (s.runtime === 'docker') for (const p of processOnlyProblems(s)) add(p.path, p.message);
    if (s.fleet.overrides.proxyUrl !== undefined && s.runtime === 'docker')
      add(['fleet', 'overrides', 'proxyUrl'], "an external Toxiproxy cannot be reached from the docker runtime's run network (docs/docker.md); use runtime: process with proxyUrl, or drop proxyUrl");
    if (s.kill.path === 'broker-level' && s.kill.level === undefined) add(['kill', 'level'], 'path broker-level needs a level (1–4)');
    if (s.kill.asset !== undefined && s.kill.level !== 1) add(['kill', 'asset'], 'asset is only for path broker-level, level 1');
    if (s.kill.scope === 'platform' && s.kill.target !== undefined && s.kill.target !== 'platform') add(['kill', 'target'], "the platform scope's target is 'platform'");
    const both = (s.detects ?? []).filter((c) => (s.skip ?? []).includes(c));
    if (both.length) add(['skip'], `${both.join(', ')} cannot be both detected and skipped`);
    const fb = s.kill.fallback?.path;
    if (fb !== undefined && fb === s.kill.path) add(['kill', 'fallback', 'path'], `the fallback is the kill path itself (${fb}); name another path (the runbook's fallback, e.g. redis)`);
    if (fb === 'broker-level') add(['kill', 'fallback', 'path'], 'a fallback takes the kill\'s scope, target and mode, not a halt level; use rest, redis or crd');
    if (fb !== undefined && s.sequence) add(['kill', 'fallback'], 'a sequence names each leg\'s path; drop the fallback, or the sequence');
    if (s.sequence) sequenceIssues(s, add);
    const dup = (s.detects ?? []).filter((c, i, a) => a.indexOf(c) !== i);
    if (dup.length) add(['detects'], `${dup.join(', ')} listed twice`);
  });

/** A sequence runs its legs on one fleet: each is released before the next, and no matrix varies what a leg sets. */
function sequenceIssues(s: { kill: { path: string }; release?: unknown; matrix?: Partial<Record<string, unknown>>; sequence?: Array<Record<string, unknown>>; detects?: unknown }, add: (path: Array<string | number>, message: string) => void): void {
  const legs = s.sequence ?? [];
  if (!legs.length) return;
  if (!s.release) add(['sequence'], 'a sequence needs release.after: each leg is released before the next one starts');
  if (s.detects) add(['sequence'], 'a sequence is a drill of the kill switch, not an incident reproduction: drop detects, or the sequence');
  if (legs[0].path !== s.kill.path) add(['sequence', 0, 'path'], `the first leg pulls kill.path: make it ${s.kill.path}, or set kill.path to ${String(legs[0].path)}`);
  for (const key of Object.keys(s.matrix ?? {})) {
    const field = key.startsWith('kill.') ? key.slice(5) : null;
    if (key === 'kill.path') add(['matrix', key], 'a sequence names each leg\'s path: a matrix over kill.path would pull every path in every leg; drop kill.path from the matrix (or the sequence)');
    else if (field && legs.some((l) => l[field] !== undefined)) add(['matrix', key], `a leg sets ${field}, which the matrix also varies; set it in one place`);
  }
}

function fmt(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type FaultSpec = Scenario['faults'][number];
export type KillSpec = Scenario['kill'];
export type Expectations = Scenario['expect'];
export type SequenceLeg = NonNullable<Scenario['sequence']>[number];

/**
 * What only the process runtime drills: seed 003's circuit breakers (the daemons read the venue's
 * bars on 127.0.0.1) and the market-data faults (the venue's control file and a signal).
 */
export function processOnlyProblems(s: { faults: Array<{ kind: string }>; fleet: { overrides: { breakers?: { marketDataStaleMs?: number; volRatioThreshold?: number; maxConsecutiveLosses?: number } } } }): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  s.faults.forEach((f, i) => {
    if ((Object.values(BREAKER_FAULTS) as string[]).includes(f.kind)) out.push({ path: ['faults', i, 'kind'], message: `${f.kind} drives the venue's market-data feed through its control file and a signal, which the docker runtime's venue container does not get; use runtime: process` });
  });
  const br = s.fleet.overrides.breakers;
  if (br && ((br.marketDataStaleMs ?? 0) > 0 || (br.volRatioThreshold ?? 0) > 0 || (br.maxConsecutiveLosses ?? 0) > 0))
    out.push({ path: ['fleet', 'overrides', 'breakers'], message: "the circuit breakers read the venue's market data and ledger on 127.0.0.1, which the docker runtime's containers do not reach; use runtime: process, or turn the breakers off" });
  return out;
}

/** The kill paths whose kill value can carry a queue policy: the broker's REST body and a raw SET. */
export const QUEUE_POLICY_PATHS = ['rest', 'redis'] as const;

/**
 * Why a kill's queue policy cannot be honoured: only an agent fleet has queued work, and only the rest
 * and redis paths write the policy (the KillSwitch resource and the halt levels have no field for it).
 */
export function queuePolicyProblems(k: { queue?: string; path: string; fallback?: { path: string } }, preset: string): string[] {
  if (k.queue === undefined) return [];
  const out: string[] = [];
  if (preset !== 'agents') out.push(`kill.queue '${k.queue}': preset ${preset} has no queued work (its bots run no job queue); a queue policy applies to preset agents (seed 004) — remove kill.queue`);
  for (const path of [k.path, ...(k.fallback ? [k.fallback.path] : [])]) {
    if (!(QUEUE_POLICY_PATHS as readonly string[]).includes(path)) out.push(`kill.queue '${k.queue}': the ${path} path cannot carry a queue policy (${path === 'crd' ? 'the KillSwitch resource has no field for it' : 'its lever writes no kill value'}); use path ${QUEUE_POLICY_PATHS.join(' or ')}`);
  }
  return out;
}
