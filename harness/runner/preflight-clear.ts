// Clearing what a dead killdrill run left on the target (docs/safety.md "Dead runs"): its own levers,
// found by the run id they carry, each through its own release — a KillSwitch deleted (the operator
// clears its key), a broker halt resumed, a key the broker set released through the broker, a key
// set directly deleted — and its faults, by the run's record: every toxic it added to a proxy it
// touched removed, every proxy it disabled enabled again. Nothing else is touched.
import type { Redis } from 'ioredis';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { eventsChannel, killEventJson, nowMs, KILLSWITCH_PLURAL, KUBE_GROUP, KUBE_VERSION } from '../../contracts/index.ts';
import { describeError, postJson, request } from '../../lib/http.ts';
import type { TargetEndpoints } from '../runtime/index.ts';
import type { FoundKill } from './preflight-rules.ts';
import { readProxies } from './preflight-target.ts';
import { kubeConfigOf } from './preflight-target.ts';
import type { RunRecord } from './preflight-lease.ts';

/** One thing cleared (or that could not be): the history's `dead-run-cleared` op. */
export interface Cleared {
  runId: string;
  what: string;
  how: string;
  ok: boolean;
  error?: string;
}

const errText = (err: unknown) => {
  const body = (err as { body?: unknown })?.body;
  return typeof body === 'string' ? body.slice(0, 200) : describeError(err);
};

/** Releases one dead run's lever through the way it was pulled. */
export async function clearKill(ep: TargetEndpoints, redis: Redis, prefix: string, k: FoundKill & { runId: string }): Promise<Cleared> {
  const base = { runId: k.runId, what: k.source === 'killswitch' ? `KillSwitch ${k.id}` : k.source === 'broker-halt' ? `broker ${k.id}` : `kill key ${k.id}` };
  try {
    if (k.source === 'killswitch') {
      const [ns, name] = k.id.split('/');
      try {
        await kubeConfigOf(ep).makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({ group: KUBE_GROUP, version: KUBE_VERSION, namespace: ns, plural: KILLSWITCH_PLURAL, name });
      } catch (err) {
        if ((err as { code?: number }).code !== 404) throw err;
      }
      return { ...base, how: 'deleted (the operator clears its key)', ok: true };
    }
    const releaseToken = ep.releaseToken ?? ep.token;
    if (k.source === 'broker-halt') {
      if (!ep.brokerUrl || releaseToken === undefined) throw new Error('the target names no broker to resume the halt through');
      const res = await postJson(`${ep.brokerUrl}/halt/resume`, releaseToken, { reason: `killdrill: clearing the halt of dead run ${k.runId}` }, 60_000);
      if (res.status < 200 || res.status >= 300) throw new Error(`POST /halt/resume answered ${res.status}: ${res.text.slice(0, 200)}`);
      return { ...base, how: 'POST /halt/resume', ok: true };
    }
    if (k.by?.startsWith('broker:') && ep.brokerUrl && releaseToken !== undefined) {
      const res = await postJson(`${ep.brokerUrl}/killswitch/release`, releaseToken, { scope: k.scope, target: k.target });
      if (res.status < 200 || res.status >= 300) throw new Error(`POST /killswitch/release answered ${res.status}: ${res.text.slice(0, 200)}`);
      return { ...base, how: 'POST /killswitch/release', ok: true };
    }
    await redis.del(k.id);
    await redis.publish(eventsChannel(prefix), killEventJson({ op: 'release', key: k.id, at: nowMs() }));
    return { ...base, how: 'DEL (and a release event)', ok: true };
  } catch (err) {
    return { ...base, how: 'not cleared', ok: false, error: `killdrill: clearing ${base.what} of dead run ${k.runId} failed: ${errText(err)}` };
  }
}

/** Undoes a dead run's faults on its Toxiproxy, by its record; returns what was done. */
export async function clearFaults(record: RunRecord): Promise<Cleared[]> {
  const open = Object.entries(record.faults).filter(([, f]) => !f.healed);
  if (!record.proxyUrl || !open.length) return [];
  const out: Cleared[] = [];
  let now: Record<string, { enabled: boolean; toxics: string[] }>;
  try {
    now = await readProxies(record.proxyUrl);
  } catch (err) {
    return [{ runId: record.runId, what: `faults on ${record.proxyUrl}`, how: 'not cleared', ok: false, error: `killdrill: the dead run ${record.runId}'s faults could not be cleared: ${describeError(err)}` }];
  }
  // A fault whose injection was under way when the run died has no links on record: any proxy it may have touched.
  const links = open.some(([, f]) => !f.links) ? Object.keys(record.baseline) : [...new Set(open.flatMap(([, f]) => f.links ?? []))];
  for (const link of links) {
    const before = record.baseline[link];
    const cur = now[link];
    if (!before || !cur) continue;
    for (const toxic of cur.toxics.filter((t) => !before.toxics.includes(t) && t.startsWith('killdrill'))) {
      const res = await request(`${record.proxyUrl}/proxies/${encodeURIComponent(link)}/toxics/${encodeURIComponent(toxic)}`, { method: 'DELETE', timeoutMs: 5000 }).catch((e: unknown) => ({ status: 0, text: describeError(e) }));
      const ok = (res.status >= 200 && res.status < 300) || res.status === 404;
      out.push({ runId: record.runId, what: `toxic ${toxic} on ${link}`, how: 'DELETE', ok, ...(ok ? {} : { error: `killdrill: removing toxic ${toxic} from ${link} failed: ${res.status} ${res.text.slice(0, 200)}` }) });
    }
    if (before.enabled && !cur.enabled) {
      const res = await request(`${record.proxyUrl}/proxies/${encodeURIComponent(link)}`, { method: 'POST', json: { enabled: true }, timeoutMs: 5000 }).catch((e: unknown) => ({ status: 0, text: describeError(e) }));
      const ok = res.status >= 200 && res.status < 300;
      out.push({ runId: record.runId, what: `proxy ${link} (disabled)`, how: 'enabled again', ok, ...(ok ? {} : { error: `killdrill: enabling proxy ${link} failed: ${res.status} ${res.text.slice(0, 200)}` }) });
    }
  }
  return out;
}
