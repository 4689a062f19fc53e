// Redis → Bot resources: every bot of the topology gets a Bot in alphaswarm-bots (name = slug)
// whose status mirrors its phase (the phase hash, contracts §2) and whether a kill key in
// its scope is engaged, with that key's reason. Polled every second; the statuses are
// recomputed only when something changed, and only changed ones are written, a few at a time.
import type { Redis } from 'ioredis';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { keysForBot, parseKillValue, phaseHashKey, phaseStreamKey, strictest, type Bot, type Mode } from '../model.ts';
import { BOT_KIND, BOT_PLURAL as PLURAL, KUBE_GROUP_VERSION, KUBE_NAMESPACE } from '../../contracts/index.ts';
import { GROUP, VERSION, patchStatus, statusCode } from './kube.ts';

export const BOT_NAMESPACE = KUBE_NAMESPACE;
/** Status writes in flight at once. */
const WRITERS = 8;

export class BotMirror {
  private readonly api: CustomObjectsApi;
  private readonly written = new Map<string, string>();
  private readonly created = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private lastError = '';
  private readonly redis: Redis;
  private readonly bots: Bot[];
  private readonly prefix: string;
  private readonly defaultMode: Mode;
  private readonly log: (m: string) => void;
  /** Each bot's kill keys, and all of them once. */
  private readonly keysOf: Map<string, string[]>;
  private readonly allKeys: string[];
  /** What the last complete sync saw: the phase stream's newest id, the phase hash's size, the kill keys' values. */
  private seen = '';

  constructor(kc: KubeConfig, redis: Redis, bots: Bot[], prefix: string, defaultMode: Mode, log: (m: string) => void) {
    this.api = kc.makeApiClient(CustomObjectsApi);
    this.redis = redis;
    this.bots = bots;
    this.prefix = prefix;
    this.defaultMode = defaultMode;
    this.log = log;
    this.keysOf = new Map(bots.map((b) => [b.slug, keysForBot(prefix, b)]));
    this.allKeys = [...new Set([...this.keysOf.values()].flat())];
  }

  start(intervalMs = 1000): void {
    const tick = () => {
      if (this.busy) return;
      this.busy = true;
      this.sync()
        .then(() => (this.lastError = ''))
        .catch((err) => {
          const msg = (err as Error).message;
          if (msg !== this.lastError) this.log(`killdrill: operator: bot status sync failed (${msg}); retrying`);
          this.lastError = msg;
        })
        .finally(() => (this.busy = false));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async ensureBot(b: Bot): Promise<void> {
    if (this.created.has(b.slug)) return;
    const body = {
      apiVersion: KUBE_GROUP_VERSION,
      kind: BOT_KIND,
      metadata: { name: b.slug, namespace: BOT_NAMESPACE, labels: { [`${GROUP}/fleet`]: b.fleet, [`${GROUP}/host`]: b.host, [`${GROUP}/class`]: b.class } },
      spec: { fleet: b.fleet, host: b.host, daemon: b.daemon, tenant: b.tenant, group: b.group, class: b.class, asset: b.asset, capability: b.capability, run: b.run },
    };
    try {
      await this.api.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: BOT_NAMESPACE, plural: PLURAL, body });
    } catch (err) {
      if (statusCode(err) !== 409) throw err;
    }
    this.created.add(b.slug);
  }

  async sync(): Promise<void> {
    // Nothing to do unless a bot changed phase (a new phase stream entry), the phase hash was
    // refilled (a Redis that restarted empty) or a kill key changed: a 1,000-bot fleet at rest
    // costs one XREVRANGE, one HLEN and one MGET a second, not 1,000 parses.
    const allKeys = this.allKeys;
    const [newest, listed, values] = await Promise.all([
      this.redis.xrevrange(phaseStreamKey(this.prefix), '+', '-', 'COUNT', 1),
      this.redis.hlen(phaseHashKey(this.prefix)),
      allKeys.length ? this.redis.mget(allKeys) : Promise.resolve([]),
    ]);
    const seen = JSON.stringify([newest[0]?.[0] ?? '', listed, values]);
    if (seen === this.seen) return;
    const phases = await this.redis.hgetall(phaseHashKey(this.prefix));
    const byKey = new Map(allKeys.map((k, i) => [k, values[i]]));
    const changed: Array<{ b: Bot; status: Record<string, unknown>; text: string }> = [];
    for (const b of this.bots) {
      let phase = 'Unknown';
      try {
        const p = phases[b.slug] ? (JSON.parse(phases[b.slug]) as { phase?: string }) : null;
        if (p?.phase) phase = p.phase;
      } catch {
        // a malformed entry reads as Unknown
      }
      const kill = strictest(this.keysOf.get(b.slug)!.map((k) => parseKillValue(byKey.get(k), this.defaultMode)));
      const status = { phase, killSwitchEngaged: kill !== null, killSwitchReason: kill?.reason ?? '', ...(kill ? { killSwitchMode: kill.mode } : {}) };
      const text = JSON.stringify(status);
      if (this.written.get(b.slug) !== text) changed.push({ b, status: { ...status, killSwitchMode: kill ? kill.mode : null }, text });
    }
    // A few writes in flight at once: 1,000 Bots created one by one took ~30 s of start-up.
    let next = 0;
    let failure = false;
    const worker = async () => {
      while (next < changed.length && !failure) {
        const { b, status, text } = changed[next++];
        try {
          await this.ensureBot(b);
          await patchStatus(this.api, PLURAL, BOT_NAMESPACE, b.slug, status);
        } catch (err) {
          if (statusCode(err) === 404) this.created.delete(b.slug); // someone deleted it: recreate next tick
          failure = true;
          throw err;
        }
        this.written.set(b.slug, text);
      }
    };
    // Every writer finishes before the next poll may start; then the first failure is reported.
    const done = await Promise.allSettled(Array.from({ length: Math.min(WRITERS, changed.length) }, worker));
    const failed = done.find((d) => d.status === 'rejected');
    if (failed) throw failed.reason;
    this.seen = seen;
  }
}
