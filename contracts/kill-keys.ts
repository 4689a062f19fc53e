// The kill-key wire vocabulary both sides of the wire share (docs/contracts.md §1–2): the key
// prefix of seed 000, the scopes, the REST groups of the six halt endpoints, and the formats of
// the kill keys, the events channel and the phase stream. Formats only: what a key MEANS to a
// bot (which effects a mode allows, who is in scope) is each side's own definition.

export const SCOPES = ['asset', 'bot', 'fleet', 'tenant', 'capability', 'run', 'platform', 'group'] as const;
export type Scope = (typeof SCOPES)[number];

export const MODES = ['cancel', 'flatten', 'freeze'] as const;
export type Mode = (typeof MODES)[number];

/**
 * A kill's queue policy for an agent fleet's queued work (seed 004: drained or discarded, decided up
 * front): the kill value's optional `queue` field. Absent: `discard`.
 */
export const QUEUE_POLICIES = ['discard', 'drain'] as const;
export type QueuePolicy = (typeof QUEUE_POLICIES)[number];

export const GROUPS = ['agents', 'quant-agents', 'paper', 'bots', 'rl', 'workflows'] as const;
export type Group = (typeof GROUPS)[number];

/** The six REST halt endpoints of seed 000 and the group each one halts. */
export const HALT_ENDPOINTS: Record<string, Group> = {
  '/agents/halt': 'agents',
  '/quant-agents/halt': 'quant-agents',
  '/paper/stop-all': 'paper',
  '/bots/halt-all': 'bots',
  '/rl/halt-all': 'rl',
  '/workflows/halt': 'workflows',
};

/** `POST /halt/level` level 4 needs `confirm` to be this phrase (docs/contracts.md §3). */
export const LEVEL4_CONFIRMATION = 'SHUTDOWN INVICTUS';

/** Seed 000's key prefix: `alphaswarm:bots:killswitch:<scope>:<target>`. */
export const DEFAULT_KEY_PREFIX = 'alphaswarm:bots:killswitch';

export function killKey(prefix: string, scope: Scope, target: string): string {
  return `${prefix}:${scope}:${target}`;
}

export function eventsChannel(prefix: string): string {
  return `${prefix}:events`;
}

/** A message on the events channel: a writer SETs (engage) or DELs (release) the key, then PUBLISHes this. */
export type KillEvent = { op: 'engage'; key: string; value?: string; at: number } | { op: 'release'; key: string; at: number };

/** The events channel's message text for `e`. */
export function killEventJson(e: KillEvent): string {
  return JSON.stringify(e);
}

/** `alphaswarm:bots:killswitch` → `alphaswarm:bots`. */
export function namespaceOf(prefix: string): string {
  const i = prefix.lastIndexOf(':');
  return i > 0 ? prefix.slice(0, i) : prefix;
}

export function phaseStreamKey(prefix: string): string {
  return `${namespaceOf(prefix)}:phases`;
}

export function phaseHashKey(prefix: string): string {
  return `${namespaceOf(prefix)}:phase`;
}
