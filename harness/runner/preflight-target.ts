// What preflight reads of the target (docs/safety.md "Preflight"), over its observable interface only:
// the kill keys under its prefix, its KillSwitches, its broker's /status, its Toxiproxy's proxies,
// the bots' phases, its clock (Redis TIME), and one answer of every endpoint the case will read.
import type { Redis } from 'ioredis';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { nowMs, phaseHashKey, KILLSWITCH_PLURAL, KUBE_GROUP, KUBE_NAMESPACE, KUBE_VERSION } from '../../contracts/index.ts';
import { describeError, request, withQuery } from '../../lib/http.ts';
import type { TargetEndpoints } from '../runtime/index.ts';
import { readsOf } from '../runtime/index.ts';
import { keyValueFields, parseKillKey, runIdOfReason, type ClockSample, type FoundKill } from './preflight-rules.ts';
import type { ProxyState } from './preflight-lease.ts';

/** The kill keys under `<prefix>:` and their values (SCAN, never KEYS). */
export async function readKillKeys(redis: Redis, prefix: string): Promise<FoundKill[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    for (const k of batch) keys.add(k);
    cursor = next;
  } while (cursor !== '0');
  const parsed = [...keys].map((key) => ({ key, kk: parseKillKey(prefix, key) })).filter((x) => x.kk !== null);
  if (!parsed.length) return [];
  const values = await redis.mget(...parsed.map((p) => p.key));
  const out: FoundKill[] = [];
  parsed.forEach((p, i) => {
    if (values[i] === null) return; // gone between SCAN and MGET
    const v = keyValueFields(values[i]);
    out.push({ source: 'redis-key', id: p.key, scope: p.kk!.scope, target: p.kk!.target, reason: v.reason, by: v.by, runId: runIdOfReason(v.reason) });
  });
  return out;
}

export function kubeConfigOf(ep: TargetEndpoints): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(ep.kubeconfig!);
  if (ep.kubeContext) kc.setCurrentContext(ep.kubeContext);
  return kc;
}

export const kubeNamespaceOf = (ep: TargetEndpoints) => ep.kubeNamespace ?? KUBE_NAMESPACE;

interface KillSwitchObject {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { scope?: string; target?: string; reason?: string };
  status?: { engaged?: boolean };
}

/** Every KillSwitch in the target's namespace (engaged or not: one that exists will be). */
export async function readKillSwitches(ep: TargetEndpoints): Promise<FoundKill[]> {
  const ns = kubeNamespaceOf(ep);
  const list = (await kubeConfigOf(ep).makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: KUBE_GROUP, version: KUBE_VERSION, namespace: ns, plural: KILLSWITCH_PLURAL })) as { items: KillSwitchObject[] };
  return list.items.map((o) => ({
    source: 'killswitch' as const,
    id: `${ns}/${o.metadata?.name ?? '?'}`,
    scope: o.spec?.scope ?? '?',
    target: o.spec?.target ?? '?',
    reason: o.spec?.reason ?? null,
    runId: runIdOfReason(o.spec?.reason),
  }));
}

export interface BrokerStatus {
  haltLevel: number;
  incident: { id: string; level?: number; reason?: string } | null;
  engaged: Array<{ key: string; scope: string; target: string; reason?: string }>;
}

/** The broker's halt level as a found kill (a level above 0), with the run id of its incident, else of the keys it engaged. */
export function haltOf(s: BrokerStatus): FoundKill | null {
  if (!s.haltLevel) return null;
  let runId = runIdOfReason(s.incident?.reason);
  if (!runId) {
    const ids = new Set(s.engaged.map((e) => runIdOfReason(e.reason)));
    runId = ids.size === 1 ? [...ids][0] : null;
  }
  return { source: 'broker-halt', id: `haltLevel ${s.haltLevel}`, scope: 'platform', target: 'platform', level: s.haltLevel, reason: s.incident?.reason ?? null, runId };
}

/** GET /proxies of a Toxiproxy: each proxy's enabled flag and toxics' names. */
export async function readProxies(proxyUrl: string): Promise<Record<string, ProxyState>> {
  const res = await request(`${proxyUrl}/proxies`, { timeoutMs: 5000 });
  if (res.status !== 200 || !res.body || typeof res.body !== 'object') throw new Error(`killdrill: the target's Toxiproxy answered ${res.status} to GET /proxies`);
  const out: Record<string, ProxyState> = {};
  for (const [name, p] of Object.entries(res.body as Record<string, { enabled?: boolean; toxics?: Array<{ name: string }> }>)) out[name] = { enabled: p.enabled !== false, toxics: (p.toxics ?? []).map((t) => t.name) };
  return out;
}

/** The bots' current phases (the phase hash, docs/contracts.md §2). */
export async function readPhases(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const h = await redis.hgetall(phaseHashKey(prefix));
  const out = new Map<string, string>();
  for (const [slug, v] of Object.entries(h)) {
    try {
      const p = (JSON.parse(v) as { phase?: unknown }).phase;
      if (typeof p === 'string') out.set(slug, p);
    } catch {
      // not the contract's JSON: no phase known
    }
  }
  return out;
}

/** n round trips of Redis TIME, on the harness's clock (nowMs). */
export async function clockSamples(redis: Redis, n = 5): Promise<ClockSample[]> {
  const out: ClockSample[] = [];
  for (let i = 0; i < n; i++) {
    const sentAt = nowMs();
    const [s, us] = await redis.time();
    const receivedAt = nowMs();
    out.push({ sentAt, receivedAt, targetMs: Number(s) * 1000 + Number(us) / 1000 });
  }
  return out;
}

export interface EndpointCheck {
  endpoint: string;
  url: string;
  ok: boolean;
  status?: number;
  ms: number;
  error?: string;
  /** A 401/403: the token the user gave is wrong (exit 2), not the target (exit 3). */
  refused?: boolean;
}

async function probe(endpoint: string, url: string, token?: string): Promise<EndpointCheck> {
  const at = nowMs();
  const shown = url.replace(/\?.*$/, '');
  try {
    const res = await request(url, { timeoutMs: 5000, ...(token !== undefined ? { token } : {}) });
    const ms = nowMs() - at;
    if (res.status >= 200 && res.status < 300) return { endpoint, url: shown, ok: true, status: res.status, ms };
    return { endpoint, url: shown, ok: false, status: res.status, ms, error: `answered ${res.status}`, ...(res.status === 401 || res.status === 403 ? { refused: true } : {}) };
  } catch (err) {
    return { endpoint, url: shown, ok: false, ms: nowMs() - at, error: describeError(err) };
  }
}

export interface HostDaemons {
  /** Each daemon's tags, by `host/daemon`. */
  tags: Map<string, string[]>;
  /** Each host's read as preflight's endpoint check (`host <name>`): preflight does not read them again. */
  checks: EndpointCheck[];
}

/**
 * The one GET /daemons of each host's supervisor (the roster's daemon tags, for level scopes), host by host;
 * rejects at the first that does not answer 2xx with JSON, with getJson's words (`killdrill: GET /daemons answered 401: …`).
 */
export async function readHostDaemons(ep: TargetEndpoints): Promise<HostDaemons> {
  const tags = new Map<string, string[]>();
  const checks: EndpointCheck[] = [];
  const token = ep.hostsToken ?? ep.token;
  for (const [host, base] of Object.entries(ep.hosts)) {
    const url = `${base}/daemons`;
    const at = nowMs();
    const res = await request(url, { timeoutMs: 5000, ...(token !== undefined ? { token } : {}) }).catch((err: unknown) => {
      throw new Error(`killdrill: host ${host}'s supervisor (GET ${url}) got no answer: ${describeError(err)}`, { cause: err });
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`killdrill: GET ${new URL(url).pathname} answered ${res.status}: ${res.text.slice(0, 200)}`);
    const daemons = JSON.parse(res.text) as Array<{ name: string; tags?: string[] }>;
    checks.push({ endpoint: `host ${host}`, url: url.replace(/\?.*$/, ''), ok: true, status: res.status, ms: nowMs() - at });
    for (const d of daemons) tags.set(`${host}/${d.name}`, d.tags ?? []);
  }
  return { tags, checks };
}

/** One GET of every HTTP endpoint the case reads (the bot list was read already, as the roster; the hosts' /daemons too when `hostChecks` are given). */
export function probeEndpoints(ep: TargetEndpoints, needProxy: boolean, hostChecks?: EndpointCheck[]): Promise<EndpointCheck[]> {
  const r = readsOf(ep);
  const checks = [probe('ledger', withQuery(r.ledger.url, { after: 0, limit: 1 }), r.ledger.token), probe('journal', withQuery(r.journal.url, { limit: 1 }), r.journal.token)];
  if (r.venue) checks.push(probe('venue', `${r.venue.url.replace(/\/+$/, '')}/positions`, r.venue.token));
  if (ep.brokerUrl) checks.push(probe('broker', `${ep.brokerUrl}/status`, ep.token));
  if (needProxy && ep.proxyUrl) checks.push(probe('toxiproxy', `${ep.proxyUrl}/proxies`));
  if (hostChecks) checks.push(...hostChecks.map((c) => Promise.resolve(c)));
  else for (const [host, url] of Object.entries(ep.hosts)) checks.push(probe(`host ${host}`, `${url}/daemons`, ep.hostsToken ?? ep.token));
  return Promise.all(checks);
}
