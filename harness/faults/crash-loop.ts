// crash-loop (seed 001's pod in CrashLoopBackOff): a bot daemon is SIGKILLed, and again each time
// its supervisor's KeepAlive brings it back (a new pid in GET /components), `upS` after it came back,
// `times` kills in all. The loop runs in the background from the injection; heal stops it (a kill
// under way finishes) and starts the daemon if it is down. Each kill's time and pid go to the heal's
// detail; the supervisor's daemon start/exit events are in the history as usual.
import { nowMs } from '../../contracts/index.ts';
import { controlComponent, listComponents, requireComponent } from './control-api.ts';
import type { Fault } from './types.ts';

const DEFAULT_TIMES = 3;
const DEFAULT_UP_S = 1;
/** How long to wait for the supervisor to bring the daemon back (its crash-loop backoff caps at 10 s). */
const COME_BACK_MS = 20_000;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const crashLoop: Fault = {
  kind: 'crash-loop',
  check(p, c) {
    const problem = requireComponent(p, c);
    if (problem) return problem;
    const d = c.find((x) => x.name === p.target)!;
    if (d.kind !== 'daemon') return `'target: ${String(p.target)}' is a ${d.kind}; crash-loop needs a daemon its supervisor restarts (one of ${c.filter((x) => x.kind === 'daemon').map((x) => x.name).join(', ')})`;
    if (p.times !== undefined && (!Number.isInteger(p.times) || (p.times as number) < 1 || (p.times as number) > 20)) return "'times' must be a whole number of kills from 1 to 20";
    if (p.upS !== undefined && (typeof p.upS !== 'number' || p.upS < 0 || p.upS > 60)) return "'upS' must be the seconds a restarted daemon lives before the next kill, 0 to 60";
    return null;
  },
  async inject(ctx, p) {
    const target = p.target as string;
    const times = (p.times as number | undefined) ?? DEFAULT_TIMES;
    const upMs = ((p.upS as number | undefined) ?? DEFAULT_UP_S) * 1000;
    const pidOf = async () => (await listComponents(ctx.fleet)).find((c) => c.name === target)?.pid ?? null;
    const kills: Array<{ pid: unknown; at: number }> = [];
    let stopped = false;
    let error: string | null = null;
    const kill = async () => {
      const at = nowMs();
      const r = await controlComponent(ctx.fleet, target, 'kill');
      kills.push({ pid: r.pid ?? null, at });
      return r.pid ?? null;
    };
    const first = await kill();
    const loop = (async () => {
      let last = first;
      while (!stopped && kills.length < times) {
        const deadline = nowMs() + COME_BACK_MS;
        let pid: unknown = null;
        while (!stopped && nowMs() < deadline) {
          pid = await pidOf();
          if (pid !== null && pid !== last) break;
          await sleep(POLL_MS);
        }
        if (stopped) return;
        if (pid === null || pid === last) {
          error = `killdrill: ${target} did not come back within ${COME_BACK_MS / 1000} s after kill ${kills.length} (its supervisor's KeepAlive)`;
          return;
        }
        const upUntil = nowMs() + upMs;
        while (!stopped && nowMs() < upUntil) await sleep(Math.min(POLL_MS, Math.max(1, upUntil - nowMs())));
        if (stopped) return;
        last = await kill();
      }
    })().catch((e: unknown) => {
      error = e instanceof Error ? e.message : String(e);
    });
    return {
      detail: { target, times, upS: upMs / 1000, first: kills[0] },
      heal: async () => {
        stopped = true;
        await loop;
        const started = await controlComponent(ctx.fleet, target, 'start');
        return { target, kills, ...(error ? { error } : {}), started };
      },
    };
  },
};
