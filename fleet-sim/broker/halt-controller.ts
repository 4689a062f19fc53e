// Runs halt levels and resume: records the intent (sqlite, unless `halt-state-in-memory`)
// BEFORE acting, engages keys, sends daemon stops in parallel, records every stop as an
// audit claim, then records the outcome. One halt operation at a time.
import { randomBytes } from 'node:crypto';
import { nowMs } from '../model.ts';
import type { FleetFile } from '../fleet-file.ts';
import type { BrokerDb } from './broker-db.ts';
import type { HaltState, HaltStateStore, Incident, StoppedDaemon } from './halt-state.ts';
import { daemonId, planLevel, type PlannedStop } from './halt-plan.ts';
import { HttpError } from './http-io.ts';
import type { KillStore } from './kill-store.ts';
import { daemonCommand, supervisorUrlFor } from './supervisor-client.ts';

export interface LevelRequest {
  level: number;
  asset?: string;
  reason?: string;
  actor: string;
}

export interface LevelResult {
  ok: boolean;
  level: number;
  incident: Incident | null;
  stopped: Array<{ host: string; daemon: string; ok: boolean; sentTo: string; error?: string }>;
  keys: string[];
  /** Sent after the answer (`broker-in-own-stop-list`); call it once the response is out. */
  afterResponse?: () => void;
}

export class HaltController {
  private readonly file: FleetFile;
  private readonly db: BrokerDb;
  private readonly store: HaltStateStore;
  private readonly kill: KillStore;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: FleetFile, db: BrokerDb, store: HaltStateStore, kill: KillStore) {
    this.file = file;
    this.db = db;
    this.store = store;
    this.kill = kill;
  }

  get bugs(): readonly string[] {
    return this.file.config.bugs ?? [];
  }

  state(): HaltState {
    return this.store.get();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async stop(s: PlannedStop, actor: string): Promise<StoppedDaemon & { error?: string }> {
    const r = await daemonCommand(this.file, s.sendTo, s.daemon, 'stop');
    this.db.audit(nowMs(), actor, 'daemon-stopped', { host: s.host, daemon: s.daemon, ok: r.ok, supervisorUrl: r.supervisorUrl, ...(r.error ? { error: r.error } : {}) });
    return { host: s.host, daemon: s.daemon, sentTo: s.sendTo, ok: r.ok, ...(r.error ? { error: r.error } : {}) };
  }

  level(req: LevelRequest): Promise<LevelResult> {
    return this.serial(async () => {
      const before = this.store.get();
      const plan = planLevel(this.file.topology, req.level, {
        asset: req.asset,
        wrongHostStop: this.bugs.includes('wrong-host-stop'),
        brokerInOwnStopList: this.bugs.includes('broker-in-own-stop-list'),
        alreadyStopped: new Set(before.stopped.filter((s) => s.ok).map((s) => daemonId(s.host, s.daemon))),
      });
      const at = nowMs();
      const reason = req.reason ?? `halt level ${req.level}`;
      const newLevel = Math.max(before.level, req.level);
      let incident = before.incident;
      if (plan.opensIncident && !incident) {
        incident = { id: `inc-${Math.floor(at).toString(36)}-${randomBytes(3).toString('hex')}`, level: newLevel, openedAt: at, reason };
        this.db.audit(at, req.actor, 'incident-opened', { ...incident });
      } else if (incident) incident = { ...incident, level: Math.max(incident.level, newLevel) };
      const keyNames = plan.keys.map((k) => this.kill.key(k.scope, k.target));
      // Intent first: a crash from here on still leaves the level, incident and the planned
      // work on record (stops marked not ok until they answer).
      const pending = plan.stops.map((s) => ({ host: s.host, daemon: s.daemon, sentTo: s.sendTo, ok: false }));
      const intent: HaltState = {
        level: newLevel,
        incident,
        stopped: [...before.stopped.filter((s) => !pending.some((p) => p.host === s.host && p.daemon === s.daemon)), ...pending],
        keys: [...new Set([...before.keys, ...keyNames])],
      };
      this.store.set(intent);
      this.db.audit(at, req.actor, 'halt-level', { level: req.level, haltLevel: newLevel, incident: incident?.id ?? null, reason, durable: this.store.durable });

      let redisError: HttpError | null = null;
      for (const k of plan.keys) {
        const key = this.kill.key(k.scope, k.target);
        const value = { mode: k.mode, reason, by: `broker:${req.actor}`, at: nowMs() };
        try {
          await this.kill.engage(key, value, value.at);
          this.db.audit(nowMs(), req.actor, 'engage', { key, scope: k.scope, target: k.target, mode: k.mode, reason, via: `halt-level-${req.level}` });
        } catch (e) {
          redisError = e instanceof HttpError ? e : new HttpError(503, `Redis: ${String(e)}`);
        }
      }
      const results = await Promise.all(plan.stops.map((s) => this.stop(s, req.actor)));
      const done = this.store.get();
      done.stopped = done.stopped.map((s) => results.find((r) => r.host === s.host && r.daemon === s.daemon) ?? s).map(({ host, daemon, sentTo, ok }) => ({ host, daemon, sentTo, ok }));
      this.store.set(done);

      const out: LevelResult = { ok: !redisError && results.every((r) => r.ok), level: newLevel, incident, stopped: results, keys: keyNames };
      if (plan.selfStop) {
        const self = plan.selfStop;
        const supervisorUrl = supervisorUrlFor(this.file, self.sendTo);
        // Recorded before it happens: the supervisor's answer never reaches a stopped broker.
        this.db.audit(nowMs(), req.actor, 'daemon-stopped', { host: self.host, daemon: self.daemon, ok: true, supervisorUrl });
        out.stopped.push({ host: self.host, daemon: self.daemon, ok: true, sentTo: self.sendTo });
        out.afterResponse = () => void daemonCommand(this.file, self.sendTo, self.daemon, 'stop');
      }
      if (redisError) throw new HttpError(503, `halt level ${req.level} is recorded but a kill key was not engaged: ${redisError.message.replace(/^killdrill: /, '')}`, { extra: { ...out, ok: false } });
      const failed = results.filter((r) => !r.ok);
      if (failed.length) {
        throw new HttpError(502, `halt level ${req.level} is recorded but ${failed.length} daemon stop(s) failed: ${failed.map((f) => `${f.host}/${f.daemon} (${f.error})`).join('; ')}; check those hosts' supervisors and POST /halt/level again`, { extra: { ...out, ok: false } });
      }
      return out;
    });
  }

  resume(actor: string, reason: string | undefined): Promise<{ ok: boolean; level: number; incident: Incident | null; released: string[]; started: Array<{ host: string; daemon: string; ok: boolean; error?: string }> }> {
    return this.serial(async () => {
      const before = this.store.get();
      const released: string[] = [];
      for (const key of before.keys) {
        await this.kill.release(key, nowMs()); // 503 naming Redis: nothing else changes
        released.push(key);
        this.db.audit(nowMs(), actor, 'release', { key, via: 'halt-resume' });
      }
      const started = await Promise.all(
        before.stopped.map(async (s) => {
          const r = await daemonCommand(this.file, s.sentTo, s.daemon, 'start');
          this.db.audit(nowMs(), actor, 'daemon-started', { host: s.host, daemon: s.daemon, ok: r.ok, supervisorUrl: r.supervisorUrl, ...(r.error ? { error: r.error } : {}) });
          return { host: s.host, daemon: s.daemon, ok: r.ok, ...(r.error ? { error: r.error } : {}) };
        }),
      );
      const at = nowMs();
      if (before.incident) this.db.audit(at, actor, 'incident-closed', { id: before.incident.id, reason: reason ?? 'resume' });
      this.db.audit(at, actor, 'resume', { fromLevel: before.level, incident: before.incident?.id ?? null, reason: reason ?? null });
      this.store.set({ level: 0, incident: null, stopped: [], keys: [] });
      const out = { ok: started.every((s) => s.ok), level: 0, incident: null, released, started };
      const failed = started.filter((s) => !s.ok);
      if (failed.length) {
        throw new HttpError(502, `resumed to level 0 but ${failed.length} daemon start(s) failed: ${failed.map((f) => `${f.host}/${f.daemon} (${f.error})`).join('; ')}; start them with POST <supervisor>/daemons/<name>/start`, { extra: out });
      }
      return out;
    });
  }
}
