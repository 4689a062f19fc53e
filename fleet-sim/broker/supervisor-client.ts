// Talks to host supervisors (docs/contracts.md §4) over the links `broker-hosts.<host>`.
// A stop waits for the daemon's exit (grace 10 s, then SIGKILL), so the timeout is longer.
import { linkAddress, type FleetFile } from '../fleet-file.ts';
import { request } from '../../lib/http.ts';

export interface SupervisorResult {
  ok: boolean;
  supervisorUrl: string;
  error?: string;
}

const TIMEOUT_MS = 30_000;

export function supervisorUrlFor(file: FleetFile, host: string): string {
  const a = linkAddress(file, `broker-hosts.${host}`);
  return `http://${a.host}:${a.port}`;
}

/** POST <supervisor>/daemons/<name>/<verb>; ok = 200 with `{ok: true}`. Never throws. */
export async function daemonCommand(file: FleetFile, host: string, daemon: string, verb: 'stop' | 'start'): Promise<SupervisorResult> {
  let supervisorUrl = `(no link broker-hosts.${host})`;
  try {
    supervisorUrl = supervisorUrlFor(file, host);
    const { status, text, body } = await request(`${supervisorUrl}/daemons/${encodeURIComponent(daemon)}/${verb}`, { method: 'POST', token: file.token, json: '{}', timeoutMs: TIMEOUT_MS });
    // A body that is not JSON (kept as text) has no `ok`: reported below.
    const ok = status === 200 && typeof body === 'object' && (body as { ok?: unknown } | null)?.ok === true;
    return ok ? { ok, supervisorUrl } : { ok, supervisorUrl, error: `supervisor answered ${status}: ${text.slice(0, 200)}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, supervisorUrl, error: `supervisor unreachable: ${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}` };
  }
}
