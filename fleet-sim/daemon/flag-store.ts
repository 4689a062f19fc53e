// The daemon's two Redis connections (contracts §2, §12): a subscriber on the events
// channel (link bots-redis-sub.<host>) and a poller that MGETs every kill key of the
// daemon's bots every pollIntervalS (link bots-redis-poll.<host>, also the phase writer's).
import { Redis } from 'ioredis';
import { eventsChannel, nowMs, type Bug } from '../model.ts';
import type { HostPort } from '../fleet-file.ts';
import type { KillView } from './kill-view.ts';

export interface FlagStoreOptions {
  sub: HostPort;
  poll: HostPort;
  prefix: string;
  pollIntervalS: number;
  bugs: readonly Bug[];
  keys: string[];
  view: KillView;
  /** Called whenever the view may have changed (event, poll, connection state). */
  onChange: () => void;
}

export class FlagStore {
  readonly poller: Redis;
  readonly subscriber: Redis | null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  /** Reconnect-triggered reads; the resume-ignores-halt bug has none until its first scheduled poll. */
  private readOnConnect: boolean;
  private readonly o: FlagStoreOptions;
  private readonly channel: string;
  private readonly keySet: Set<string>;

  constructor(o: FlagStoreOptions) {
    this.o = o;
    this.channel = eventsChannel(o.prefix);
    this.keySet = new Set(o.keys);
    this.readOnConnect = !o.bugs.includes('resume-ignores-halt');
    const timeoutMs = Math.max(500, Math.min(2000, o.pollIntervalS * 1000));
    this.poller = new Redis({ host: o.poll.host, port: o.poll.port, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: timeoutMs, retryStrategy: () => 100, connectTimeout: 2000 });
    this.poller.on('error', () => {});
    this.poller.on('ready', () => this.setPollerUp(true));
    this.poller.on('close', () => this.setPollerUp(false));
    this.poller.on('reconnecting', () => this.setPollerUp(false));
    const cached = o.bugs.includes('kill-state-cached-at-boot');
    this.subscriber = cached ? null : new Redis({ host: o.sub.host, port: o.sub.port, retryStrategy: () => 100, connectTimeout: 2000, maxRetriesPerRequest: null });
    if (this.subscriber) {
      this.subscriber.on('error', () => {});
      this.subscriber.on('message', (ch: string, msg: string) => this.onMessage(ch, msg));
      // After a reconnect pub/sub may have missed events: read the keys again at once.
      this.subscriber.on('ready', () => {
        if (this.readOnConnect && !o.bugs.includes('pubsub-only')) void this.pollOnce();
      });
    }
  }

  /** Subscribe, then the boot read (after subscribing, so no event is missed in between). */
  async boot(readAtBoot: boolean, waitMs: number): Promise<void> {
    if (this.subscriber) await Promise.race([this.subscriber.subscribe(this.channel).catch(() => {}), sleep(waitMs)]);
    if (!readAtBoot) return;
    const t0 = Date.now();
    while (!this.o.view.everRead && Date.now() - t0 < waitMs) {
      if (this.poller.status === 'ready') await this.pollOnce();
      if (!this.o.view.everRead) await sleep(25);
    }
  }

  /** Polling every pollIntervalS; with pubsub-only none, with cached-at-boot only until the first good read. */
  startPolling(): void {
    if (this.o.bugs.includes('pubsub-only')) {
      if (!this.o.view.everRead) this.timer = setInterval(() => void (this.o.view.everRead ? this.stopTimer() : this.pollOnce()), 250);
      return;
    }
    const cached = this.o.bugs.includes('kill-state-cached-at-boot');
    this.timer = setInterval(() => {
      if (cached && this.o.view.everRead) return this.stopTimer();
      this.readOnConnect = true;
      void this.pollOnce();
    }, this.o.pollIntervalS * 1000);
  }

  async pollOnce(): Promise<void> {
    if (this.polling || this.o.keys.length === 0) {
      if (this.o.keys.length === 0) this.o.view.applyPoll(nowMs(), [], [], nowMs());
      return;
    }
    this.polling = true;
    const issuedAt = nowMs();
    try {
      const values = await this.poller.mget(this.o.keys);
      this.o.view.applyPoll(issuedAt, this.o.keys, values, nowMs());
      this.o.onChange();
    } catch {
      // the staleness check turns a run of failed polls into fail-closed
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    this.stopTimer();
    this.poller.disconnect();
    this.subscriber?.disconnect();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private setPollerUp(up: boolean): void {
    if (this.o.view.pollerUp === up) return;
    this.o.view.pollerUp = up;
    this.o.onChange();
    if (up && this.readOnConnect && !this.o.bugs.includes('pubsub-only') && !(this.o.bugs.includes('kill-state-cached-at-boot') && this.o.view.everRead)) void this.pollOnce();
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    // A KillEvent (contracts/kill-keys.ts) if well formed: every field checked before use.
    let m: { op?: unknown; key?: unknown; value?: unknown };
    try {
      m = JSON.parse(message) as typeof m;
    } catch {
      return;
    }
    if (typeof m.key !== 'string' || !this.keySet.has(m.key)) return;
    if (m.op === 'release') this.o.view.applyEvent('release', m.key, null, nowMs());
    else if (m.op === 'engage' && typeof m.value === 'string' && m.value !== '') this.o.view.applyEvent('engage', m.key, m.value, nowMs());
    else if (m.op === 'engage') return void this.pollOnce(); // no value given: read it
    else return;
    this.o.onChange();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
