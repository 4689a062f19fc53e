// KillSwitch → Redis: for each KillSwitch SET `<prefix>:<scope>:<target>` = {mode, reason,
// by: "operator", at, ttlS} then PUBLISH engage (contracts §2), and record status.engaged,
// engagedAt, observedGeneration, key. When ttl elapses the CR is deleted; a deleted CR's key
// is DEL'd and a release published (unless another KillSwitch still holds that key).
// Level-triggered: failed writes are retried every second until they land.
import type { Redis } from 'ioredis';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { eventsChannel, killKey, type Scope } from '../model.ts';
import { parseTtlS } from '../apiserver/index.ts';
import { KILLSWITCH_PLURAL as PLURAL, killEventJson } from '../../contracts/index.ts';
import { GROUP, VERSION, inform, patchStatus, statusCode, type Informed, type KObj } from './kube.ts';

const id = (o: KObj) => `${o.metadata?.namespace}/${o.metadata?.name}`;

export function keyOf(prefix: string, o: KObj): string {
  const scope = String(o.spec?.scope) as Scope;
  return killKey(prefix, scope, scope === 'platform' ? 'platform' : String(o.spec?.target));
}

export class KillSwitchReconciler {
  private readonly api: CustomObjectsApi;
  private readonly held = new Map<string, { key: string; uid: string }>();
  private readonly dirty = new Map<string, KObj>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private informed: Informed | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly kc: KubeConfig;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly log: (m: string) => void;

  constructor(kc: KubeConfig, redis: Redis, prefix: string, log: (m: string) => void) {
    this.kc = kc;
    this.redis = redis;
    this.prefix = prefix;
    this.log = log;
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  /** Resolves once the informer's first list is in (or failed: it keeps retrying on its own). */
  async start(): Promise<void> {
    this.informed = inform(this.kc, PLURAL, { upsert: (o) => this.upsert(o), remove: (o) => void this.remove(o) }, this.log);
    this.retry = setInterval(() => {
      for (const o of [...this.dirty.values()]) void this.engage(o);
    }, 1000);
    // A Redis connection that comes back retries the failed engages at once, not at the next tick.
    this.redis.on('ready', () => {
      for (const o of [...this.dirty.values()]) void this.engage(o);
    });
    await this.informed.started;
  }

  async stop(): Promise<void> {
    clearInterval(this.retry);
    for (const t of this.timers.values()) clearTimeout(t);
    await this.informed?.stop();
  }

  private upsert(o: KObj): void {
    const st = o.status ?? {};
    const engaged = st.engaged === true && st.observedGeneration === o.metadata?.generation && st.key === keyOf(this.prefix, o);
    if (engaged) {
      // already engaged (e.g. after an operator restart): make sure the key is still set
      this.held.set(id(o), { key: String(st.key), uid: String(o.metadata?.uid) });
      this.armTtl(o, Date.parse(String(st.engagedAt)));
      void this.ensureKey(o);
      return;
    }
    this.dirty.set(id(o), o);
    void this.engage(o);
  }

  private value(o: KObj, at: number): string {
    const ttlS = typeof o.spec?.ttl === 'string' ? parseTtlS(o.spec.ttl) : null;
    return JSON.stringify({ mode: o.spec?.mode, reason: o.spec?.reason ?? `KillSwitch ${id(o)}`, by: 'operator', at, ...(ttlS !== null ? { ttlS } : {}) });
  }

  private async ensureKey(o: KObj): Promise<void> {
    const key = keyOf(this.prefix, o);
    try {
      if ((await this.redis.exists(key)) === 0) {
        const value = this.value(o, Date.parse(String(o.status?.engagedAt)) || Date.now());
        await this.redis.set(key, value);
        await this.redis.publish(eventsChannel(this.prefix), killEventJson({ op: 'engage', key, value, at: Date.now() }));
      }
    } catch (err) {
      this.log(`killdrill: operator: cannot check ${key} (${(err as Error).message}); will retry`);
      this.dirty.set(id(o), o);
    }
  }

  private async engage(o: KObj): Promise<void> {
    const k = id(o);
    const key = keyOf(this.prefix, o);
    const at = Date.now();
    try {
      const prev = this.held.get(k) ?? (typeof o.status?.key === 'string' ? { key: o.status.key, uid: String(o.metadata?.uid) } : undefined);
      if (prev && prev.key !== key) await this.releaseKey(prev.key, k);
      const value = this.value(o, at);
      await this.redis.set(key, value);
      await this.redis.publish(eventsChannel(this.prefix), killEventJson({ op: 'engage', key, value, at }));
      this.held.set(k, { key, uid: String(o.metadata?.uid) });
      const engagedAt = new Date(at).toISOString();
      await patchStatus(this.api, PLURAL, o.metadata!.namespace!, o.metadata!.name!, { engaged: true, engagedAt, observedGeneration: o.metadata?.generation, key });
      if (this.dirty.get(k) === o) this.dirty.delete(k);
      this.armTtl(o, at);
      this.log(`killdrill: operator: engaged ${key} for KillSwitch ${k}`);
    } catch (err) {
      if (statusCode(err) === 404) this.dirty.delete(k); // deleted meanwhile: remove() releases
      else this.log(`killdrill: operator: engaging KillSwitch ${k} failed (${(err as Error).message}); retrying`);
    }
  }

  /** ttl elapsed → delete the CR (its deletion releases the key). */
  private armTtl(o: KObj, engagedAtMs: number): void {
    const k = id(o);
    clearTimeout(this.timers.get(k));
    const ttlS = typeof o.spec?.ttl === 'string' ? parseTtlS(o.spec.ttl) : null;
    if (ttlS === null || !Number.isFinite(engagedAtMs)) return;
    const delay = Math.max(0, engagedAtMs + ttlS * 1000 - Date.now());
    this.timers.set(
      k,
      setTimeout(() => {
        this.timers.delete(k);
        this.api
          .deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: o.metadata!.namespace!, plural: PLURAL, name: o.metadata!.name! })
          .then(() => this.log(`killdrill: operator: ttl ${String(o.spec?.ttl)} of KillSwitch ${k} elapsed; deleted it`))
          .catch((err) => {
            if (statusCode(err) !== 404) {
              this.log(`killdrill: operator: deleting expired KillSwitch ${k} failed (${(err as Error).message}); releasing its key`);
              void this.remove(o);
            }
          });
      }, delay),
    );
  }

  private async remove(o: KObj): Promise<void> {
    const k = id(o);
    clearTimeout(this.timers.get(k));
    this.timers.delete(k);
    this.dirty.delete(k);
    const key = this.held.get(k)?.key ?? (typeof o.status?.key === 'string' ? o.status.key : keyOf(this.prefix, o));
    this.held.delete(k);
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        await this.releaseKey(key, k);
        return;
      } catch (err) {
        this.log(`killdrill: operator: releasing ${key} failed (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async releaseKey(key: string, owner: string): Promise<void> {
    const others = [...this.held.entries()].some(([k, h]) => k !== owner && h.key === key);
    if (others) return;
    await this.redis.del(key);
    await this.redis.publish(eventsChannel(this.prefix), killEventJson({ op: 'release', key, at: Date.now() }));
    this.log(`killdrill: operator: released ${key} (KillSwitch ${owner})`);
  }
}
