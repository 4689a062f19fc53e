// The fleet of a `sequence:` (run-sequence.ts): started once, handed to every leg. Its start() starts
// the fleet on the first leg only and hands the running fleet to the next ones, each once every bot
// is Running again after the previous leg's release; its stop() keeps it (like the external runtime).
// The sequence stops it after the last leg with release(), also on error and abort.
import { nowMs } from '../../contracts/index.ts';
import { getJson } from '../../lib/http.ts';
import { InfraError, readsOf, secretsOf, type AnyRuntime, type FleetHandle, type TargetEndpoints } from '../runtime/index.ts';
import { observePhases } from './observe-phases.ts';

export interface HeldFleet {
  /** The runtime each leg is given. */
  runtime: AnyRuntime;
  /** Did a leg start the fleet (so a later leg drills a fleet that already ran)? */
  started(): boolean;
  /** The fleet's tokens (reports keep them out of every file). */
  secrets(): string[];
  /** Stops the fleet, if the first leg started it. */
  release(): Promise<void>;
}

export interface HeldFleetOptions {
  keyPrefix: string;
  /** How long a leg waits for every bot to be Running again before it is errored. */
  runningWithinMs: number;
}

export function holdFleet(inner: AnyRuntime, opts: HeldFleetOptions): HeldFleet {
  let handle: FleetHandle<TargetEndpoints> | null = null;
  let legs = 0;
  let secrets: string[] = [];
  return {
    runtime: {
      name: inner.name,
      async start(req, signal) {
        legs++;
        if (!handle) {
          handle = await inner.start(req, signal);
          secrets = secretsOf(handle.endpoints);
          return kept(handle);
        }
        const why = handle.exited();
        if (why) throw new InfraError(`killdrill: the sequence's fleet is gone: ${why}`);
        await waitAllRunning(handle.endpoints, opts.keyPrefix, opts.runningWithinMs, signal, `leg ${legs}`);
        return kept(handle);
      },
    },
    started: () => handle !== null,
    secrets: () => secrets,
    async release() {
      const h = handle;
      handle = null;
      if (h) await h.stop();
    },
  };
}

function kept(h: FleetHandle<TargetEndpoints>): FleetHandle<TargetEndpoints> {
  return { endpoints: h.endpoints, exited: () => h.exited(), async stop() {} };
}

/** Every bot of the target's list Running (its latest phase-stream entry), or an InfraError naming those that are not. */
export async function waitAllRunning(ep: TargetEndpoints, keyPrefix: string, withinMs: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  const src = readsOf(ep).bots;
  const bots = await getJson<Array<{ slug: string }>>(src.url, { ...(src.token !== undefined ? { token: src.token } : {}) });
  let lastError: unknown = null;
  // The observer reads the whole stream from its start, then every new entry (its own loop).
  const obs = observePhases(ep.redisUrl, keyPrefix, () => {}, (e) => (lastError = e), () => (lastError = null));
  const deadline = nowMs() + withinMs;
  try {
    for (;;) {
      const late = bots.filter((b) => obs.phases.get(b.slug) !== 'Running');
      if (!late.length) return;
      if (signal?.aborted) throw new InfraError('killdrill: interrupted while waiting for every bot to be Running again');
      if (nowMs() >= deadline) {
        const shown = late.slice(0, 10).map((b) => `${b.slug} (${obs.phases.get(b.slug) ?? 'no phase seen'})`);
        const err = lastError ? `; the phase stream could not be read: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
        throw new InfraError(`killdrill: ${what} did not start: ${late.length} of ${bots.length} bot(s) were not Running again within ${withinMs / 1000} s of the previous leg's end: ${shown.join(', ')}${late.length > shown.length ? ` and ${late.length - shown.length} more` : ''}${err}; check those bots (a leg starts only on a fleet that is all Running)`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await obs.stop();
  }
}
