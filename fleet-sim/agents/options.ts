// An agent worker's load and provider settings (issue 14 item 2). Defaults give a mixed load:
// mostly reads, some writes, a rare 60-second tool, a little fan-out and a few timers, and
// providers that now and then answer 429, 500 or stall. `--options JSON` on the worker's
// command line overrides any of them (validated here: errors name the field).
import type { RunOptions } from './agent-run.ts';
import { TOOL_CATALOG, type ToolSpec } from './providers.ts';
import type { CallKind } from './call-log.ts';

export interface AgentOptions extends RunOptions {
  chunks: number;
  chunkMs: number;
  rate429: number;
  rate500: number;
  rateStall: number;
  /** Which calls the error rates apply to. */
  faultKinds: readonly CallKind[];
  retryAfterS: number;
  maxAttempts: number;
  backoffMs: number;
  /** A call (or a stalled provider) gives up after this long; more than the 60-second tool. */
  callTimeoutMs: number;
  tools: readonly ToolSpec[];
}

export const AGENT_DEFAULTS: AgentOptions = {
  thinkMs: 300,
  toolsPerStep: 2,
  toolWeights: { 'search-docs': 5, 'get-quote': 5, 'place-order': 2, 'send-email': 1, 'deep-research': 0.3 },
  childRate: 0.1,
  maxChildren: 2,
  childSteps: 3,
  timerRate: 0.1,
  timerMs: 2000,
  chunks: 8,
  chunkMs: 50,
  rate429: 0.02,
  rate500: 0.02,
  rateStall: 0.005,
  faultKinds: ['llm', 'tool'],
  retryAfterS: 1,
  maxAttempts: 3,
  backoffMs: 200,
  callTimeoutMs: 90_000,
  tools: TOOL_CATALOG,
};

const NUMERIC = Object.entries(AGENT_DEFAULTS).filter(([, v]) => typeof v === 'number').map(([k]) => k);

/** Parses `--options` JSON; throws `killdrill: …` naming the bad field. */
export function parseAgentOptions(json: string | undefined): Partial<AgentOptions> {
  if (!json) return {};
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`killdrill: agent worker --options is not JSON (${(e as Error).message}); pass an object like '{"thinkMs":100}'`);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('killdrill: agent worker --options must be a JSON object');
  const known = new Set(Object.keys(AGENT_DEFAULTS));
  for (const [k, v] of Object.entries(o)) {
    if (!known.has(k)) throw new Error(`killdrill: agent worker option '${k}' is unknown; known: ${[...known].join(', ')}`);
    if (NUMERIC.includes(k) && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new Error(`killdrill: agent worker option '${k}' must be a non-negative number`);
  }
  if (o.faultKinds !== undefined && (!Array.isArray(o.faultKinds) || o.faultKinds.some((k) => k !== 'llm' && k !== 'tool'))) throw new Error("killdrill: agent worker option 'faultKinds' must be a list of 'llm' and 'tool'");
  const tools = (o.tools as ToolSpec[] | undefined) ?? AGENT_DEFAULTS.tools;
  const names = new Set(tools.map((t) => t.name));
  for (const name of Object.keys((o.toolWeights as Record<string, number> | undefined) ?? {}))
    if (!names.has(name)) throw new Error(`killdrill: agent worker toolWeights names unknown tool '${name}'; the catalog has ${[...names].join(', ')}`);
  return o as Partial<AgentOptions>;
}
