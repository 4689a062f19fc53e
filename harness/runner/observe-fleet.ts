// The fleet's own claims and process facts: supervisor daemon events, the
// broker's audit claims (a daemon it says it stopped) and its /status.
import { getJson } from '../../lib/http.ts';
import { pollLoop, type PollLoop } from './poll-loop.ts';
import type { Emit } from './emit.ts';
import type { TargetEndpoints } from '../runtime/index.ts';

/** The broker these observers read: its URL and the operator token. */
export interface BrokerSource {
  brokerUrl: string;
  token?: string;
}
import { nowMs } from '../../contracts/clock.ts';

interface SupervisorEvent { seq: number; at: number; daemon: string; event: string; pid: number; code?: number | null; signal?: string | null }
interface AuditEntry { seq: number; at: number; actor: string; action: string; detail: Record<string, unknown> }
interface Status { haltLevel: number; incident: { id: string } | null; engaged: Array<{ key: string }>; bootId: string }

export function observeDaemons(fleet: Pick<TargetEndpoints, 'hosts' | 'token' | 'hostsToken'>, emit: Emit, onError: (e: unknown) => void, onOk?: () => void): PollLoop {
  const cursors = new Map<string, number>();
  return pollLoop(200, async () => {
    for (const [host, url] of Object.entries(fleet.hosts)) {
      const after = cursors.get(host) ?? 0;
      const page = await getJson<{ events: SupervisorEvent[]; next: number }>(`${url}/events?after=${after}`, { token: fleet.hostsToken ?? fleet.token });
      for (const e of page.events) {
        emit({ type: 'daemon', host, daemon: e.daemon, event: e.event, pid: e.pid, code: e.code ?? null, signal: e.signal ?? null, at: e.at });
      }
      cursors.set(host, page.next);
    }
  }, onError, onOk);
}

export function observeClaims(fleet: BrokerSource, emit: Emit, onError: (e: unknown) => void, onOk?: () => void): PollLoop {
  let after = 0;
  const seen = new Set<string>();
  return pollLoop(200, async () => {
    const page = await getJson<{ entries: AuditEntry[]; next: number }>(`${fleet.brokerUrl}/audit?after=${after}`, { token: fleet.token });
    // A broker that restarted may number its audit log from the start again.
    if (page.next < after) after = 0;
    for (const e of page.entries) {
      const id = `${e.seq}|${e.at}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (e.action === 'daemon-stopped') {
        const d = e.detail as { host?: string; daemon?: string; ok?: boolean };
        emit({ type: 'claim', source: 'broker', action: e.action, host: d.host, daemon: d.daemon, ok: d.ok !== false, at: e.at });
      }
    }
    after = Math.max(after, page.next);
  }, onError, onOk);
}

/**
 * Records /status whenever what it says changes, when it becomes unreachable, and at least
 * every 2 s while it stays the same (so the history shows the halt state was watched throughout).
 */
export function observeStatus(fleet: BrokerSource, emit: Emit, onError: (e: unknown) => void = () => {}, onOk: () => void = () => {}): PollLoop {
  let last = '';
  let lastEmitAt = 0;
  return pollLoop(250, async () => {
    const requestedAt = nowMs();
    try {
      const s = await getJson<Status>(`${fleet.brokerUrl}/status`, { token: fleet.token, timeoutMs: 2000 });
      const view = { haltLevel: s.haltLevel, incident: s.incident, engaged: s.engaged.map((e) => e.key).sort(), bootId: s.bootId };
      const sig = JSON.stringify(view);
      const now = nowMs();
      if (sig !== last || now - lastEmitAt >= 2000) {
        emit({ type: 'status', ok: true, ...view, at: now, requestedAt });
        lastEmitAt = now;
      }
      last = sig;
      onOk();
    } catch (err) {
      onError(err);
      if (last !== 'down') emit({ type: 'status', ok: false, error: err instanceof Error ? err.message : String(err), at: nowMs() });
      last = 'down';
    }
  }, () => {});
}
