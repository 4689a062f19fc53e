// The fleet's shared vocabulary: bots, classes, scopes, modes, kill keys.
// Used by every fleet component (broker, gateway, bots). See docs/contracts.md §1–2.
// The wire vocabulary (prefix, scopes, modes, groups, classes, phases, key formats) lives in contracts/ and is re-exported here.
import { killKey, MODES, type BotClass, type Bug, type Group, type Mode } from '../contracts/index.ts';

export {
  BOT_CLASSES, DEFAULT_KEY_PREFIX, eventsChannel, GROUPS, HALT_ENDPOINTS, killKey, LEVEL4_CONFIRMATION, MODES, namespaceOf, PHASES,
  phaseHashKey, phaseStreamKey, SCOPES, BUGS, type Bug, type BotClass, type Group, type Mode, type Phase, type Scope,
} from '../contracts/index.ts';

/** The bugs the agent workers plant; every other is a bot daemon's code path. */
export const AGENT_BUGS: readonly Bug[] = [
  'resume-reruns-effect', 'run-scope-at-start', 'revoke-in-memory',
  'agent-awaits-inflight', 'agent-discard-drains', 'agent-retry-fires-after-kill', 'agent-children-after-kill', 'agent-ignores-capability',
  'agent-accepts-tasks-while-halted',
];

export interface Bot {
  slug: string;
  host: string;
  daemon: string;
  fleet: string;
  tenant: string;
  group: Group;
  class: BotClass;
  asset: string;
  capability: string;
  run: string;
  /** A bot of a standby replica (presets/scale-out.ts): not running until its daemon is scaled out. */
  standby?: true;
}

export interface ClassSpec {
  /** One effect per tick. */
  tickMs: number;
  /** How long Draining lasts (the mode's work is spread over it). */
  drainMs: number;
  /** Stop budget: the seed's 30 s for HFT, 300 s for everything else. */
  budgetS: number;
}

export const DEFAULT_CLASSES: Record<BotClass, ClassSpec> = {
  hft: { tickMs: 200, drainMs: 300, budgetS: 30 },
  standard: { tickMs: 500, drainMs: 500, budgetS: 300 },
  paper: { tickMs: 1000, drainMs: 200, budgetS: 300 },
  agent: { tickMs: 1000, drainMs: 400, budgetS: 300 },
};

/** Every kill key that puts this bot in scope. */
export function keysForBot(prefix: string, bot: Pick<Bot, 'slug' | 'fleet' | 'tenant' | 'group' | 'asset' | 'capability' | 'run'>): string[] {
  return [
    killKey(prefix, 'platform', 'platform'),
    killKey(prefix, 'bot', bot.slug),
    killKey(prefix, 'fleet', bot.fleet),
    killKey(prefix, 'tenant', bot.tenant),
    killKey(prefix, 'group', bot.group),
    killKey(prefix, 'asset', bot.asset),
    killKey(prefix, 'capability', bot.capability),
    killKey(prefix, 'run', bot.run),
  ];
}

export interface KillValue {
  mode: Mode;
  reason: string;
  by?: string;
  at?: number;
  ttlS?: number;
}

/** A key's value: JSON `{mode, reason, …}` or any other non-empty string (mode = defaultMode). null = not engaged. */
export function parseKillValue(raw: string | null | undefined, defaultMode: Mode): KillValue | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (raw.startsWith('{')) {
    try {
      const v = JSON.parse(raw) as Partial<KillValue>;
      const mode = (MODES as readonly string[]).includes(v.mode as string) ? (v.mode as Mode) : defaultMode;
      return { ...v, mode, reason: typeof v.reason === 'string' ? v.reason : raw };
    } catch {
      // not JSON after all: fall through to the plain form
    }
  }
  return { mode: defaultMode, reason: raw };
}

const MODE_RANK: Record<Mode, number> = { cancel: 1, flatten: 2, freeze: 3 };

/** Several engaged keys: the strictest mode wins (freeze > flatten > cancel). */
export function strictest(values: Array<KillValue | null>): KillValue | null {
  let best: KillValue | null = null;
  for (const v of values) if (v && (!best || MODE_RANK[v.mode] > MODE_RANK[best.mode])) best = v;
  return best;
}

/** Whether an effect of this kind may leave while killed in this mode. */
export function allowedWhileKilled(kind: string, mode: Mode): boolean {
  if (mode === 'freeze') return false;
  if (kind === 'cancel') return true;
  return kind === 'close' && mode === 'flatten';
}

/** High-resolution epoch milliseconds, one clock for every process on the machine (contracts/clock.ts). */
export { nowMs } from '../contracts/index.ts';
