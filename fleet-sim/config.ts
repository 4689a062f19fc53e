// The fleet's configuration (docs/contracts.md §1): one zod schema, resolved with defaults.
import { z } from 'zod';
import { loopbackUrlProblem } from '../lib/loopback-url.ts';
import { AGENT_BUGS, BUGS, BOT_CLASSES, DEFAULT_CLASSES, DEFAULT_KEY_PREFIX, MODES, type BotClass, type ClassSpec } from './model.ts';

const classSpec = z
  .object({
    tickMs: z.number().int().min(1).max(600_000).optional(),
    drainMs: z.number().int().min(0).max(600_000).optional(),
    budgetS: z.number().min(0.001).max(86_400).optional(),
  })
  .strict();

export const FleetConfigSchema = z
  .object({
    preset: z.enum(['alphaswarm', 'principal', 'agents']).default('alphaswarm'),
    bots: z.number().int().min(1).max(20_000).optional(),
    bugs: z.array(z.enum(BUGS)).default([]),
    pollIntervalS: z.number().min(0.05).max(3600).default(5),
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)+$/, 'a colon-separated Redis key prefix such as alphaswarm:bots:killswitch')
      .default(DEFAULT_KEY_PREFIX),
    gatewayCheck: z.boolean().default(true),
    defaultMode: z.enum(MODES).default('cancel'),
    /** Seed 003's EXEC_SHUTDOWN_DRAIN_TIMEOUT_S: how long a daemon on SIGTERM waits for its in-flight submissions. */
    drainTimeoutS: z.number().min(0).max(600).default(8),
    /**
     * The gateway's bound on submissions accepted and not yet answered (its throttle): past it a new
     * order or action is refused at once (503 `overloaded`, retryable); cancels and closes always pass.
     */
    gatewayMaxInFlight: z.number().int().min(1).max(1_000_000).default(4096),
    /** The venue's market-data feed (fleet-sim/venue/market-data.ts): one bar per asset every barMs, a seeded random walk. */
    market: z
      .object({
        barMs: z.number().int().min(20).max(60_000).default(250),
        /** The per-bar standard deviation of the log return. */
        sigma: z.number().min(0).max(0.5).default(0.001),
        /** The price-shock fault multiplies sigma by this while it lasts. */
        shockFactor: z.number().min(1).max(1000).default(8),
        /** An `adverse-fills` fault fills those assets this fraction off the last close, against the bot (buys higher, sells lower). */
        adverseSlip: z.number().min(0).max(0.5).default(0.01),
      })
      .strict()
      .prefault({}),
    /**
     * Seed 003's per-strategy circuit breakers (fleet-sim/daemon/breakers.ts), off by default (0): a
     * tripped breaker makes the bot go flat on its asset until the condition clears.
     */
    breakers: z
      .object({
        /** Missing market data: no bar of the bot's asset newer than this (ms). 0: off. */
        marketDataStaleMs: z.number().int().min(0).max(600_000).default(0),
        /** STRATEGY_CB_VOL_RATIO_THRESHOLD: σrecent/σbaseline above it trips. 0: off. */
        volRatioThreshold: z.number().min(0).max(1000).default(0),
        /** STRATEGY_CB_VOL_RECENT_N. */
        volRecentN: z.number().int().min(2).max(1000).default(5),
        /** STRATEGY_CB_VOL_BASELINE_N. */
        volBaselineN: z.number().int().min(2).max(5000).default(30),
        /**
         * EXEC_CB_MAX_CONSECUTIVE_LOSSES: the gateway refuses a bot's new orders once its last N closing
         * fills (FIFO realized P&L) all lost. 0: off.
         */
        maxConsecutiveLosses: z.number().int().min(0).max(1000).default(0),
        /** How long a tripped consecutive-losses breaker refuses orders before it resets (s). */
        lossCooldownS: z.number().min(0.1).max(86_400).default(10),
      })
      .strict()
      .prefault({}),
    /** Bot daemons that get a standby replica `<daemon>-2` (a copy of their bots) for the scale-out fault (presets/scale-out.ts). */
    scaleOut: z.array(z.string().min(1)).max(20).default([]),
    classes: z.partialRecord(z.enum(BOT_CLASSES), classSpec).default({}),
    dataDir: z.string().min(1).optional(),
    /** Seed 003's EXECUTION_HALTED_FILE: the file every daemon watches (default <dataDir>/kill-switch/EXECUTION_HALTED; daemon/halt-file.ts). */
    haltFile: z.string().min(1).optional(),
    /** Kubernetes' default posture (EXECUTION_HALTED: "1"): the halt file says 1 before anything starts, so the fleet boots halted. */
    bootHalted: z.boolean().default(false),
    /** Seed of the bots' pseudo-random choices (sides, quantities, jitter). */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** An external Toxiproxy (loopback http, lib/loopback-url.ts) to route the links through instead of the built-in fault proxy. */
    proxyUrl: z
      .string()
      .superRefine((v, ctx) => {
        const p = loopbackUrlProblem(v);
        if (p) ctx.addIssue({ code: 'custom', message: p });
      })
      .optional(),
    /** Preset agents: the workers' load and provider settings (fleet-sim/agents/options.ts; each worker validates them at start). */
    agents: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  // The `agent-*` bugs are the agent workers' code paths, the others the bot daemons'.
  .superRefine((c, ctx) => {
    const agentBugs = c.bugs.filter((b) => AGENT_BUGS.includes(b));
    const botBugs = c.bugs.filter((b) => !AGENT_BUGS.includes(b));
    if (c.preset === 'agents' && botBugs.length) ctx.addIssue({ code: 'custom', path: ['bugs'], message: `the agents preset's workers do not plant ${botBugs.join(', ')} (the bot daemons' bugs); use the agent workers' own (${AGENT_BUGS.join(', ')}) or preset alphaswarm or principal` });
    if (c.preset !== 'agents' && agentBugs.length) ctx.addIssue({ code: 'custom', path: ['bugs'], message: `${agentBugs.join(', ')} are the agent workers' bugs; use preset agents` });
    if (c.preset !== 'agents' && c.agents !== undefined) ctx.addIssue({ code: 'custom', path: ['agents'], message: 'agent options apply to preset agents only; drop agents' });
  });

export type FleetConfigInput = z.input<typeof FleetConfigSchema>;
export type FleetConfig = z.output<typeof FleetConfigSchema> & { classes: Record<BotClass, ClassSpec> };

export class FleetConfigError extends Error {
  override name = 'FleetConfigError';
}

/** Parse and resolve a fleet config; errors name the field and what is expected. */
export function parseFleetConfig(raw: unknown): FleetConfig {
  const r = FleetConfigSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(config)'}: ${i.message}`);
    throw new FleetConfigError(`killdrill: invalid fleet config:\n${lines.join('\n')}\nFix the field(s) above; see docs/contracts.md §1 for every field and its default.`);
  }
  const classes = Object.fromEntries(BOT_CLASSES.map((c) => [c, { ...DEFAULT_CLASSES[c], ...(r.data.classes[c] ?? {}) }])) as Record<BotClass, ClassSpec>;
  return { ...r.data, classes };
}
