// Before the lever, on the target's own word: a kill of scope capability that matches no bot must name
// a capability an agent worker has (a tool or the LLM), and a kill's queue policy (kill.queue) needs
// agent workers that say they honour it. Otherwise the drill would pull a kill nothing can hear, or
// judge a policy nobody applies: refused, naming what the target offers (exit 2).
import { getJson } from '../../lib/http.ts';

export interface WorkerCapabilities {
  tools: Array<{ name: string; access?: string }>;
  llm: string;
  queuePolicies: string[];
}

export async function readCapabilities(agents: Record<string, string> | undefined): Promise<Map<string, WorkerCapabilities>> {
  const out = new Map<string, WorkerCapabilities>();
  for (const [worker, url] of Object.entries(agents ?? {})) out.set(worker, await getJson<WorkerCapabilities>(`${url.replace(/\/$/, '')}/capabilities`));
  return out;
}

/** The problem with this kill on this target, or null. `rosterCapabilities`: the capabilities of the target's bots. */
export function agentKillProblem(
  kill: { scope: string; target: string; queue?: string },
  inScope: number,
  rosterCapabilities: ReadonlySet<string>,
  workers: ReadonlyMap<string, WorkerCapabilities>,
): string | null {
  if (kill.queue !== undefined) {
    if (!workers.size) return `kill.queue '${kill.queue}': this target has no agent worker (no job queue) to apply a queue policy; remove kill.queue or drill an agent fleet`;
    const deaf = [...workers].filter(([, c]) => !c.queuePolicies.includes(kill.queue!)).map(([w]) => w);
    if (deaf.length) return `kill.queue '${kill.queue}': agent worker(s) ${deaf.join(', ')} do not honour it (they list ${[...new Set([...workers.values()].flatMap((c) => c.queuePolicies))].join(', ') || 'none'})`;
  }
  if (kill.scope === 'capability' && inScope === 0) {
    const offered = new Set<string>();
    for (const c of workers.values()) {
      offered.add(c.llm);
      for (const t of c.tools) offered.add(t.name);
    }
    if (!offered.has(kill.target)) {
      const list = (xs: Iterable<string>) => [...xs].sort().join(', ') || 'none';
      return `the kill (capability:${kill.target}) matches no capability of this fleet: no bot has it and no agent worker has a tool or LLM of that name (bots' capabilities: ${list(rosterCapabilities)}; the workers' tools and LLM: ${list(offered)}); check kill.target`;
    }
  }
  return null;
}
