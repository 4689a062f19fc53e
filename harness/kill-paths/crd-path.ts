// The CRD path (seed 000, "preferred"): create a KillSwitch with @kubernetes/client-node from
// the fleet's kubeconfig. lever-ack = 201 Created; lever-engaged = a watch sees the
// operator's status.engaged true (none within ENGAGE_TIMEOUT_MS → lever-failed: the
// "CR created but bots don't halt" failure). Release = delete the KillSwitch; engaged when
// the Redis key is gone (or, with Redis unreachable, when the watch sees the CR deleted).
import { CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import {
  killKey, nowMs, DEFAULT_KEY_PREFIX, KILLSWITCH_KIND, KILLSWITCH_PLURAL as PLURAL, KUBE_GROUP as GROUP, KUBE_GROUP_VERSION, KUBE_NAMESPACE, KUBE_VERSION as VERSION, type Scope,
} from '../../contracts/index.ts';
import { describeError } from '../../lib/http.ts';
import { MANAGED_BY, RUN_LABEL, runLabel, runTag } from './run-marks.ts';
import type { KillPath, LeverEvent, LeverRequest } from './types.ts';
import type { TargetEndpoints } from '../runtime/index.ts';

export const CRD_NAMESPACE = KUBE_NAMESPACE;
const ENGAGE_TIMEOUT_MS = 60_000;
const RELEASE_TIMEOUT_MS = 30_000;

/**
 * `killdrill-<scope>-<target>-<run tag>` as an RFC 1123 name; the same request of the same run → the
 * same name (the release deletes what the engage created), another run → another name (a dead run's
 * leftover never makes the next run's create answer 409).
 */
export function killSwitchName(req: Pick<LeverRequest, 'scope' | 'target' | 'runId'>): string {
  const target = req.scope === 'platform' ? 'platform' : req.target;
  const tag = req.runId ? `-${runTag(req.runId)}` : '';
  const slug = `killdrill-${req.scope}-${target}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/-+/g, '-');
  return `${slug.slice(0, 253 - tag.length).replace(/[-.]+$/, '')}${tag}`;
}

function kubeconfigOf(fleet: TargetEndpoints): KubeConfig {
  if (!fleet.kubeconfig) throw new Error('killdrill: this fleet has no kubeconfig (no apiserver); the crd path needs one — start the fleet with the CRD path enabled');
  const kc = new KubeConfig();
  kc.loadFromFile(fleet.kubeconfig);
  if (fleet.kubeContext) {
    if (!kc.getContextObject(fleet.kubeContext)) throw new Error(`killdrill: the kubeconfig ${fleet.kubeconfig} has no context '${fleet.kubeContext}'; check kubernetes.context in the target file`);
    kc.setCurrentContext(fleet.kubeContext);
  }
  return kc;
}

/** Where the KillSwitches live: the target's namespace, else the simulator's. */
const namespaceOf = (fleet: TargetEndpoints): string => fleet.kubeNamespace ?? CRD_NAMESPACE;

function code(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number };
  return e?.code ?? e?.statusCode;
}

function errText(err: unknown): string {
  const body = (err as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return describeError(err);
}

/** Watch one KillSwitch until `pred` holds for an event; resolves the event time, or null on timeout. */
async function watchFor(kc: KubeConfig, ns: string, name: string, pred: (type: string, obj: { status?: { engaged?: boolean } }) => boolean, timeoutMs: number) {
  let settle: (v: number | null) => void = () => undefined;
  const result = new Promise<number | null>((r) => (settle = r));
  const timer = setTimeout(() => settle(null), timeoutMs);
  let done = false;
  let ctrl: AbortController | undefined;
  const start = async (): Promise<void> => {
    ctrl = await new Watch(kc).watch(
      `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${PLURAL}`,
      { fieldSelector: `metadata.name=${name}` },
      (type, obj) => {
        if (!done && pred(type, obj)) settle(nowMs());
      },
      () => {
        if (!done) setTimeout(() => void start().catch(() => undefined), 200); // reconnect
      },
    );
  };
  await start();
  return {
    result,
    close() {
      done = true;
      clearTimeout(timer);
      ctrl?.abort();
    },
  };
}

async function engage(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void): Promise<void> {
  const name = killSwitchName(req);
  const ns = namespaceOf(fleet);
  const body = {
    apiVersion: KUBE_GROUP_VERSION,
    kind: KILLSWITCH_KIND,
    metadata: { name, namespace: ns, labels: { ...MANAGED_BY, ...(req.runId ? { [RUN_LABEL]: runLabel(req.runId) } : {}) } },
    spec: { scope: req.scope, target: req.scope === 'platform' ? 'platform' : req.target, mode: req.mode, reason: req.reason },
  };
  let kc: KubeConfig;
  let w: Awaited<ReturnType<typeof watchFor>>;
  try {
    kc = kubeconfigOf(fleet);
    w = await watchFor(kc, ns, name, (type, o) => type !== 'DELETED' && o?.status?.engaged === true, ENGAGE_TIMEOUT_MS);
  } catch (err) {
    emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: cannot watch KillSwitch ${name}: ${errText(err)}` });
    return;
  }
  try {
    emit({ type: 'lever-issued', at: nowMs(), detail: { create: `${ns}/${name}`, spec: body.spec } });
    try {
      const created = await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, body });
      emit({ type: 'lever-ack', at: nowMs(), ok: true, detail: { status: 201, name, uid: created?.metadata?.uid } });
    } catch (err) {
      const c = code(err);
      emit({ type: 'lever-ack', at: nowMs(), ok: false, detail: { status: c ?? 0, message: errText(err) } });
      const hint = c === 409 ? `; a KillSwitch ${name} is left over — delete it (kubectl delete killswitch ${name} -n ${ns})` : '';
      emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: creating KillSwitch ${name} failed (${c ?? 'no answer'}): ${errText(err)}${hint}` });
      return;
    }
    const at = await w.result;
    if (at === null) emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: KillSwitch ${name} created but status.engaged not seen within ${ENGAGE_TIMEOUT_MS / 1000} s; is the operator running?` });
    else emit({ type: 'lever-engaged', at, detail: { name } });
  } finally {
    w.close();
  }
}

async function keyGone(redisUrl: string, key: string, timeoutMs: number): Promise<number | null> {
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false });
  r.on('error', () => undefined);
  const deadline = Date.now() + timeoutMs;
  try {
    await r.connect();
    while (Date.now() < deadline) {
      if ((await r.exists(key)) === 0) return nowMs();
      await new Promise((res) => setTimeout(res, 25));
    }
    return null;
  } finally {
    r.disconnect();
  }
}

async function release(fleet: TargetEndpoints, req: LeverRequest, emit: (e: LeverEvent) => void, prefix: string): Promise<void> {
  const name = killSwitchName(req);
  const key = killKey(prefix, req.scope as Scope, req.scope === 'platform' ? 'platform' : req.target);
  const ns = namespaceOf(fleet);
  emit({ type: 'lever-issued', at: nowMs(), detail: { delete: `${ns}/${name}`, key } });
  let kc: KubeConfig;
  try {
    kc = kubeconfigOf(fleet);
    await kc.makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, name });
    emit({ type: 'lever-ack', at: nowMs(), ok: true, detail: { status: 200, name } });
  } catch (err) {
    if (code(err) === 404) emit({ type: 'lever-ack', at: nowMs(), ok: true, detail: { status: 404, name, note: 'already gone (ttl elapsed or deleted)' } });
    else {
      emit({ type: 'lever-ack', at: nowMs(), ok: false, detail: { status: code(err) ?? 0, message: errText(err) } });
      emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: deleting KillSwitch ${name} failed: ${errText(err)}` });
      return;
    }
  }
  try {
    const at = await keyGone(fleet.redisUrl, key, RELEASE_TIMEOUT_MS);
    if (at === null) emit({ type: 'lever-failed', at: nowMs(), error: `killdrill: KillSwitch ${name} deleted but ${key} still set after ${RELEASE_TIMEOUT_MS / 1000} s; is the operator running?` });
    else emit({ type: 'lever-engaged', at, detail: { key } });
  } catch {
    // Redis unreachable from the harness: the CR being gone is the confirmation we can get
    emit({ type: 'lever-engaged', at: nowMs(), detail: { name, note: 'Redis unreachable; CR deletion confirmed' } });
  }
}

export function crdPath(prefix = DEFAULT_KEY_PREFIX): KillPath {
  return {
    name: 'crd',
    engage: (fleet, req, emit) => engage(fleet, req, emit),
    release: (fleet, req, emit) => release(fleet, req, emit, prefix),
  };
}
