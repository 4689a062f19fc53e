// The history's sources, started together and stopped together: the bots' phase stream, the
// venue's ledger, the hosts' daemon events, the broker's audit claims and /status. Each has its
// ObserverHealth: a failure is recorded as `observer-failed` with its time range (observer-health.ts).
import { nowMs } from '../../contracts/index.ts';
import { readsOf, type TargetEndpoints } from '../runtime/index.ts';
import { observePhases, type PhaseObserver } from './observe-phases.ts';
import { observeLedger, type LedgerObserver } from './observe-ledger.ts';
import { observeClaims, observeDaemons, observeStatus } from './observe-fleet.ts';
import { observerHealth, type ObserverHealth } from './observer-health.ts';
import { observeAgents, type AgentObserver } from './observe-agents.ts';
import type { PollLoop } from './poll-loop.ts';
import type { Emit } from './emit.ts';

export interface Observers {
  phases: PhaseObserver;
  ledger: LedgerObserver;
  /** The agent workers' calls, tasks and queues (a fleet with agent workers only). */
  agents: AgentObserver | null;
  /** A source whose last read failed (its data since then is not in the history yet). */
  failing(): string[];
  /** One last read of every source, then stop; records the open failures and `observers-stopped`. */
  stop(): Promise<void>;
}

export function startObservers(ep: TargetEndpoints, keyPrefix: string, emit: Emit): Observers {
  const health: ObserverHealth[] = [];
  const track = (h: ObserverHealth) => (health.push(h), h);
  const failingNow = new Set<string>();
  const hooks = (h: ObserverHealth) => ({
    onError: (e: unknown) => (failingNow.add(h.source), h.failed(e)),
    onOk: () => (failingNow.delete(h.source), h.ok()),
  });
  const ph = hooks(track(observerHealth('phases', emit)));
  const phases = observePhases(ep.redisUrl, keyPrefix, emit, ph.onError, ph.onOk);
  const lh = hooks(track(observerHealth('ledger', emit)));
  const ledger = observeLedger(readsOf(ep).ledger, emit, lh.onError, 100, lh.onOk);
  const dh = hooks(track(observerHealth('daemons', emit)));
  const ch = hooks(track(observerHealth('claims', emit)));
  const sh = hooks(track(observerHealth('status', emit)));
  const loops: PollLoop[] = [ledger, observeDaemons(ep, emit, dh.onError, dh.onOk)];
  let agents: AgentObserver | null = null;
  if (ep.agents && Object.keys(ep.agents).length) {
    const ah = hooks(track(observerHealth('agents', emit)));
    loops.push((agents = observeAgents(ep.agents, emit, ah.onError, ah.onOk)));
  }
  const broker = ep.brokerUrl;
  if (broker) loops.push(observeClaims({ brokerUrl: broker, token: ep.token }, emit, ch.onError, ch.onOk), observeStatus({ brokerUrl: broker, token: ep.token }, emit, sh.onError, sh.onOk));
  else {
    // No broker named (an external target drilled by its redis path alone): its audit claims and /status
    // were never read, so the checkers that need them are unknown, not passed.
    const none = new Error('killdrill: the target names no broker, so its audit claims and /status cannot be read');
    ch.onError(none);
    sh.onError(none);
  }
  return {
    phases,
    ledger,
    agents,
    failing: () => [...failingNow],
    async stop() {
      if (agents) {
        await agents.laterRead('case-end').catch(() => {});
        await agents.final();
      }
      for (const l of loops) {
        await l.flush().catch(() => {});
        await l.stop();
      }
      await phases.drain();
      await phases.stop();
      // The observers' last look: later effects and phases were not observed (history.observedUntil()).
      const at = nowMs();
      for (const h of health) h.close(at);
      emit({ type: 'observers-stopped', at });
    },
  };
}
