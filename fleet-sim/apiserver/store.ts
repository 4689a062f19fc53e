// The object store: one resourceVersion counter for everything (like etcd), a bounded
// event history for watches (older → 410 Gone), and an optional JSON snapshot file so
// state survives an apiserver restart.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { alreadyExists, conflict, gone, notFound } from './status.ts';
import { GROUP } from './resources.ts';

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [k: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [k: string]: unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  resource: string;
  type: EventType;
  object: KubeObject;
}

export interface StoreOptions {
  /** Events kept for watches; a watch from before the oldest kept one gets 410 Gone. */
  historyLimit?: number;
  /** JSON snapshot, rewritten after every change and loaded at start. */
  snapshotPath?: string;
}

const clone = <T>(v: T): T => structuredClone(v);
const key = (ns: string, name: string) => `${ns}/${name}`;

export class Store {
  private rv = 0;
  private compactedRv = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly historyLimit: number;
  private readonly snapshotPath?: string;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(opts: StoreOptions = {}) {
    this.historyLimit = opts.historyLimit ?? 5000;
    this.snapshotPath = opts.snapshotPath;
    if (this.snapshotPath && existsSync(this.snapshotPath)) this.load(this.snapshotPath);
    this.compactedRv = this.rv;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (!b) this.objects.set(resource, (b = new Map()));
    return b;
  }

  get(resource: string, ns: string, name: string): KubeObject {
    const o = this.bucket(resource).get(key(ns, name));
    if (!o) throw notFound(resource, GROUP, name);
    return clone(o);
  }

  /** Objects of a resource, in one namespace or all, sorted by namespace then name. */
  list(resource: string, ns?: string): KubeObject[] {
    const out = [...this.bucket(resource).values()].filter((o) => ns === undefined || o.metadata.namespace === ns);
    out.sort((a, b) => key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name)));
    return out.map(clone);
  }

  namespaces(): string[] {
    const s = new Set<string>();
    for (const b of this.objects.values()) for (const o of b.values()) s.add(o.metadata.namespace);
    return [...s].sort();
  }

  create(resource: string, obj: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const k = key(obj.metadata.namespace, obj.metadata.name);
    if (b.has(k)) throw alreadyExists(resource, GROUP, obj.metadata.name);
    const o = clone(obj);
    o.metadata.uid = randomUUID();
    o.metadata.generation = 1;
    o.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    delete o.metadata.deletionTimestamp;
    return this.commit(resource, 'ADDED', o);
  }

  /**
   * Replace an object. `expectedRv` (from the request body) must match when given.
   * `subresource: 'status'` changes only status; otherwise status is kept and
   * generation moves when spec changes.
   */
  update(resource: string, obj: KubeObject, subresource?: 'status', expectedRv?: string): KubeObject {
    const b = this.bucket(resource);
    const { namespace, name } = obj.metadata;
    const cur = b.get(key(namespace, name));
    if (!cur) throw notFound(resource, GROUP, name);
    if (expectedRv && expectedRv !== cur.metadata.resourceVersion) throw conflict(resource, GROUP, name);
    let next: KubeObject;
    if (subresource === 'status') {
      next = clone(cur);
      if (obj.status === undefined) delete next.status;
      else next.status = clone(obj.status);
    } else {
      next = clone(obj);
      next.metadata = { ...clone(obj.metadata), uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp, generation: cur.metadata.generation };
      if (cur.status === undefined) delete next.status;
      else next.status = clone(cur.status);
      if (JSON.stringify(next.spec) !== JSON.stringify(cur.spec)) next.metadata.generation = cur.metadata.generation + 1;
    }
    if (JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: '' } }) === JSON.stringify({ ...cur, metadata: { ...cur.metadata, resourceVersion: '' } })) {
      return clone(cur); // no-op writes do not bump resourceVersion, as in Kubernetes
    }
    return this.commit(resource, 'MODIFIED', next);
  }

  delete(resource: string, ns: string, name: string, expectedUid?: string): KubeObject {
    const b = this.bucket(resource);
    const cur = b.get(key(ns, name));
    if (!cur) throw notFound(resource, GROUP, name);
    if (expectedUid && expectedUid !== cur.metadata.uid) throw conflict(resource, GROUP, name);
    const o = clone(cur);
    b.delete(key(ns, name));
    return this.commit(resource, 'DELETED', o);
  }

  private commit(resource: string, type: EventType, o: KubeObject): KubeObject {
    this.rv += 1;
    o.metadata.resourceVersion = String(this.rv);
    if (type !== 'DELETED') this.bucket(resource).set(key(o.metadata.namespace, o.metadata.name), o);
    const ev: StoreEvent = { rv: this.rv, resource, type, object: clone(o) };
    this.history.push(ev);
    while (this.history.length > this.historyLimit) this.compactedRv = this.history.shift()!.rv;
    this.scheduleSave();
    for (const l of this.listeners) l(ev);
    return clone(o);
  }

  /** Events after `rv` (exclusive), or 410 Gone when they are no longer kept. */
  eventsSince(rv: number): StoreEvent[] {
    if (rv < this.compactedRv) throw gone(`too old resource version: ${rv} (${this.compactedRv + 1})`);
    return this.history.filter((e) => e.rv > rv).map(clone);
  }

  subscribe(l: (e: StoreEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private scheduleSave(): void {
    if (!this.snapshotPath || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, 20);
  }

  saveNow(): void {
    if (!this.snapshotPath) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const data = { rv: this.rv, objects: Object.fromEntries([...this.objects].map(([r, b]) => [r, [...b.values()]])) };
    const tmp = `${this.snapshotPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, this.snapshotPath);
  }

  private load(path: string): void {
    let data: { rv: number; objects: Record<string, KubeObject[]> };
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`killdrill: apiserver snapshot ${path} is unreadable (${(err as Error).message}); delete it to start empty`);
    }
    this.rv = data.rv;
    for (const [r, items] of Object.entries(data.objects)) for (const o of items) this.bucket(r).set(key(o.metadata.namespace, o.metadata.name), o);
  }
}
