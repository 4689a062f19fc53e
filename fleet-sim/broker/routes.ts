// The broker's REST API (docs/contracts.md §3): one handler per route. Handlers get an
// authenticated role and the parsed body; they return a JSON value or throw HttpError.
import { join } from 'node:path';
import type { FleetFile } from '../fleet-file.ts';
import { HALT_ENDPOINTS, nowMs, type Group } from '../model.ts';
import type { BrokerDb } from './broker-db.ts';
import type { HaltController } from './halt-controller.ts';
import { HttpError, type Role } from './http-io.ts';
import { JOURNAL_PAGE_DEFAULT, JOURNAL_PAGE_MAX, readJournalPage } from './journal-pages.ts';
import type { KillStore } from './kill-store.ts';
import { EngageBody, HaltBody, LEVEL4_CONFIRMATION, LevelBody, ReleaseBody, ResumeBody, validate } from './schemas.ts';

export interface RouteContext {
  role: Role;
  body: Record<string, unknown> | undefined;
  query: URLSearchParams;
  /** Work to run once the answer is sent (the broker's own stop). */
  after: Array<() => void>;
}

export type Handler = (ctx: RouteContext) => Promise<unknown>;

export interface BrokerDeps {
  file: FleetFile;
  db: BrokerDb;
  kill: KillStore;
  halt: HaltController;
  boot: { bootId: string; pid: number; startedAt: number };
}

function needRiskOfficer(ctx: RouteContext, what: string): void {
  if (ctx.role !== 'risk-officer') throw new HttpError(403, `${what} needs the risk-officer role; send the releaseToken as the bearer token`);
}

function onlyParams(q: URLSearchParams, allowed: string[]): void {
  for (const k of q.keys()) if (!allowed.includes(k)) throw new HttpError(400, `unknown query parameter '${k}'; allowed: ${allowed.join(', ') || 'none'}`);
}

function intParam(q: URLSearchParams, name: string, dflt: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return dflt;
  if (!/^\d{1,15}$/.test(raw) || Number(raw) > max) throw new HttpError(400, `query parameter '${name}' must be an integer from 0 to ${max}, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

export function buildRoutes(d: BrokerDeps): Map<string, Record<string, Handler>> {
  const routes = new Map<string, Record<string, Handler>>();
  const actor = (ctx: RouteContext): string => ctx.role;

  const engageGroup = (group: Group, path: string): Handler => async (ctx) => {
    const b = validate(HaltBody, ctx.body, `POST ${path}`);
    const key = d.kill.key('group', group);
    const at = nowMs();
    const value = { mode: b.mode ?? d.file.config.defaultMode, reason: b.reason ?? `${path} (REST halt)`, by: `broker:${ctx.role}`, at, ...(b.queue ? { queue: b.queue } : {}) };
    await d.kill.engage(key, value, at);
    d.db.audit(nowMs(), actor(ctx), 'engage', { key, scope: 'group', target: group, mode: value.mode, reason: value.reason, ...(b.queue ? { queue: b.queue } : {}), via: path });
    return { ok: true, key };
  };
  for (const [path, group] of Object.entries(HALT_ENDPOINTS)) routes.set(path, { POST: engageGroup(group, path) });

  routes.set('/killswitch', {
    POST: async (ctx) => {
      const b = validate(EngageBody, ctx.body, 'POST /killswitch');
      const key = d.kill.key(b.scope, b.target);
      const at = nowMs();
      const value = { mode: b.mode ?? d.file.config.defaultMode, reason: b.reason ?? 'engaged via broker', by: `broker:${ctx.role}`, at, ...(b.queue ? { queue: b.queue } : {}), ...(b.ttlS ? { ttlS: b.ttlS } : {}) };
      await d.kill.engage(key, value, at);
      d.db.audit(nowMs(), actor(ctx), 'engage', { key, scope: b.scope, target: b.target, mode: value.mode, reason: value.reason, ...(b.queue ? { queue: b.queue } : {}), ttlS: b.ttlS ?? null, via: '/killswitch' });
      return { ok: true, key };
    },
  });

  routes.set('/killswitch/release', {
    POST: async (ctx) => {
      needRiskOfficer(ctx, 'releasing a kill switch');
      const b = validate(ReleaseBody, ctx.body, 'POST /killswitch/release');
      const key = d.kill.key(b.scope, b.target);
      const existed = await d.kill.release(key, nowMs());
      d.db.audit(nowMs(), actor(ctx), 'release', { key, scope: b.scope, target: b.target, existed, via: '/killswitch/release' });
      return { ok: true, key, existed };
    },
  });

  routes.set('/halt/level', {
    POST: async (ctx) => {
      const b = validate(LevelBody, ctx.body, 'POST /halt/level');
      if (b.level === 4 && b.confirm !== LEVEL4_CONFIRMATION) {
        throw new HttpError(422, `halt level 4 is destructive and needs "confirm": "${LEVEL4_CONFIRMATION}" in the body; nothing was done`);
      }
      const r = await d.halt.level({ level: b.level, asset: b.asset, reason: b.reason, actor: actor(ctx) });
      if (r.afterResponse) ctx.after.push(r.afterResponse);
      const { afterResponse: _, ...body } = r;
      return body;
    },
  });

  routes.set('/halt/resume', {
    POST: async (ctx) => {
      needRiskOfficer(ctx, 'resuming from a halt');
      const b = validate(ResumeBody, ctx.body, 'POST /halt/resume');
      return d.halt.resume(actor(ctx), b.reason);
    },
  });

  routes.set('/status', {
    GET: async (ctx) => {
      onlyParams(ctx.query, []);
      const s = d.halt.state();
      const engaged = await d.kill.engaged();
      return {
        haltLevel: s.level,
        incident: s.incident,
        engaged,
        stopped: s.stopped.map(({ host, daemon, ok }) => ({ host, daemon, ok })),
        ...d.boot,
      };
    },
  });

  routes.set('/bots', {
    GET: async (ctx) => {
      onlyParams(ctx.query, []);
      const phases = await d.kill.phases();
      // Each bot's daemon's tags: what the halt levels select by (an external target drilled by level has no host to ask).
      const tags = new Map(d.file.topology.hosts.flatMap((h) => h.daemons.map((x) => [`${h.name}/${x.name}`, x.tags] as const)));
      // A standby replica's bots (scale-out) are listed once they wrote a phase: a pod not yet scheduled has no bots.
      return d.file.topology.bots.filter((b) => !b.standby || phases.has(b.slug)).map((b) => {
        const p = phases.get(b.slug);
        return { slug: b.slug, host: b.host, daemon: b.daemon, fleet: b.fleet, tenant: b.tenant, group: b.group, class: b.class, asset: b.asset, capability: b.capability, run: b.run, tags: tags.get(`${b.host}/${b.daemon}`) ?? [], phase: p?.phase ?? 'Unknown', since: p?.at ?? null };
      });
    },
  });

  routes.set('/audit', {
    GET: async (ctx) => {
      onlyParams(ctx.query, ['after', 'limit']);
      const after = intParam(ctx.query, 'after', 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(ctx.query, 'limit', 1000, 10_000);
      return d.db.auditAfter(after, Math.max(1, limit));
    },
  });

  // The daemons' journals over the wire (§6): the harness reads them here, not from the fleet's disk.
  routes.set('/journal', {
    GET: async (ctx) => {
      onlyParams(ctx.query, ['after', 'limit']);
      if (ctx.query.getAll('after').length > 1) throw new HttpError(400, "query parameter 'after' given more than once; pass the last answer's next once");
      const limit = intParam(ctx.query, 'limit', JOURNAL_PAGE_DEFAULT, JOURNAL_PAGE_MAX);
      return readJournalPage(join(d.file.config.dataDir, 'journal'), ctx.query.get('after'), Math.max(1, limit));
    },
  });

  return routes;
}
