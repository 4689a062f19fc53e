// The "just kill the pods" stop (seed 004 warns about it; seed 003's graceful shutdown is what makes
// it safe): a rolling SIGTERM of every bot daemon running an in-scope bot, one after another, each
// kept down — the control API's `stop`: SIGTERM, its shutdown gate drains the bots (cancel mode),
// journals drained and exits, and no KeepAlive brings it back. Engaged once the last one exited.
// Release starts them again, in the same order; they boot into the current kill state. Nothing is
// written anywhere that says "halted": the broker's status shows no halt (halt-state-durable has
// nothing to judge). Which daemons: the broker's GET /bots (the roster), by the harness's own scopes.
import { nowMs } from '../../contracts/index.ts';
import { describeError, getJson } from '../../lib/http.ts';
import { controlComponent } from '../faults/index.ts';
import { inScopeBots, type RosterBot } from '../checkers/spec/index.ts';
import { brokerOf, type KillPath, type LeverEvent, type LeverRequest } from './types.ts';
import type { TargetEndpoints } from '../runtime/index.ts';

/** The in-scope bots' daemons, in the roster's order (host, then daemon). */
async function daemonsInScope(fleet: TargetEndpoints, req: LeverRequest): Promise<string[]> {
  const b = brokerOf(fleet, 'sigterm');
  const roster = await getJson<RosterBot[]>(`${b.url}/bots`, { token: b.token });
  const bots = inScopeBots(roster, { path: 'sigterm', scope: req.scope, target: req.target, ...(req.level !== undefined ? { level: req.level } : {}), ...(req.asset !== undefined ? { asset: req.asset } : {}) });
  return [...new Set(bots.map((x) => `${x.host}\u0000${x.daemon}`))].sort().map((k) => k.split('\u0000')[1]);
}

async function rolling(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void, action: 'stop' | 'start'): Promise<void> {
  if (action === 'stop' && req.mode !== 'cancel') {
    emit({ type: 'lever-issued', at: nowMs(), detail: { mode: req.mode } });
    emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: the sigterm lever stops bots the way their shutdown gate does, in cancel mode only; mode '${req.mode}' cannot be pulled with it (use mode: cancel, or another path)` });
    return;
  }
  let daemons: string[];
  try {
    daemons = await daemonsInScope(fleet, req);
  } catch (err) {
    emit({ type: 'lever-issued', at: nowMs() });
    emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: the sigterm lever could not list the bots (broker GET /bots): ${describeError(err)}` });
    return;
  }
  emit({ type: 'lever-issued', at: nowMs(), detail: { signal: action === 'stop' ? 'SIGTERM' : null, action, daemons } });
  const results: Array<Record<string, unknown>> = [];
  for (const d of daemons) {
    const at = nowMs();
    try {
      const r = await controlComponent(fleet, d, action);
      results.push({ daemon: d, at, ok: true, pid: r.pid ?? null, ...(r.exit ? { exit: r.exit } : {}) });
    } catch (err) {
      results.push({ daemon: d, at, ok: false, error: describeError(err) });
    }
  }
  const at = nowMs();
  const ok = daemons.length > 0 && results.every((r) => r.ok);
  emit({ type: 'lever-ack', at, ok, detail: results });
  if (ok) emit({ type: 'lever-engaged', at, detail: { daemons } });
  else emit({ type: 'lever-failed', at, error: daemons.length ? results.filter((r) => !r.ok).map((r) => `${String(r.daemon)}: ${String(r.error)}`).join('; ') : `killdrill: the kill (${req.scope}:${req.target}) matches no bot daemon` });
}

export const sigtermPath: KillPath = {
  name: 'sigterm',
  engage: (fleet, req, emit) => rolling(fleet, req, emit, 'stop'),
  release: (fleet, req, emit) => rolling(fleet, req, emit, 'start'),
};
