// A realistic literal run directory (docs/contracts.md §9 history.jsonl, §11 result.json) for the
// reports' tests, while the real fleet is still being built: an alphaswarm-shaped fleet (two bot
// hosts, six fleets, one daemon per fleet per host), load, a link fault, a daemon SIGKILL and its
// KeepAlive restart, the lever, drain and stop (every in-scope bot Draining within its path's
// propagation budget), release and restart, and exactly `postFlip` effects the mode forbids
// dispatched after engagedAt by in-scope bots, each before its bot's own Draining (the boundary let
// them through; the bots' own gates held, so bot-gate-held passes and only post-flip-effects fails). The REST token leaks into the
// history (an ack's echoed request and an observer error) so the reports' redaction is tested.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GROUPS } from '../fleet-sim/model.ts';
import { parseHistory } from '../harness/history/index.ts';
import { judge, runCheckers } from '../harness/checkers/index.ts';
import { propagationBudgetS } from '../harness/checkers/propagation-budgets.ts';

export interface FixtureOptions {
  dir: string;
  bots?: number;
  postFlip?: number;
  scope?: 'platform' | 'fleet' | 'bot';
  target?: string;
  mode?: 'cancel' | 'flatten' | 'freeze';
  path?: 'rest' | 'redis' | 'crd' | 'broker-level' | 'sigterm' | 'file';
  /** With path broker-level: the halt level (it implies its own mode). */
  level?: number;
  seed?: number;
  secret?: string;
  runId?: string;
  /** An incident reproduction: the checkers it must fail. */
  detects?: string[];
  /** The fleet's catalog bugs (the target's identity). */
  bugs?: string[];
  /** Drilled as an external target (`run --target`): its name and environment, as run-start's config records them. */
  external?: { name: string; environment: string };
}

export interface Fixture {
  dir: string;
  runId: string;
  bots: number;
  daemons: number;
  inScope: number;
  postFlip: number;
  secret: string;
}

const FLEETS = [
  { fleet: 'market-making', prefix: 'mm', class: 'hft', group: 'bots', drainMs: 150 },
  { fleet: 'stat-arb', prefix: 'sa', class: 'standard', group: 'quant-agents', drainMs: 900 },
  { fleet: 'paper', prefix: 'pp', class: 'paper', group: 'paper', drainMs: 400 },
  { fleet: 'agents', prefix: 'ag', class: 'agent', group: 'agents', drainMs: 1200 },
  { fleet: 'rl', prefix: 'rl', class: 'standard', group: 'rl', drainMs: 900 },
  { fleet: 'workflows', prefix: 'wf', class: 'agent', group: 'workflows', drainMs: 1200 },
];
const HOSTS = ['node-a', 'node-b'];
const ASSETS = ['aapl', 'msft', 'nvda', 'tsla', 'amzn', 'goog', 'btc', 'eth', 'sol', 'doge'];
const T0 = 1_767_225_600_000.25;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeFixtureRun(o: FixtureOptions): Fixture {
  const nBots = o.bots ?? 1000;
  const nPostFlip = o.postFlip ?? 7;
  const scope = o.scope ?? 'platform';
  const target = o.target ?? (scope === 'platform' ? 'platform' : scope === 'fleet' ? 'market-making' : 'mm-aapl-1');
  const mode = o.mode ?? 'cancel';
  const path = o.path ?? 'rest';
  const seed = o.seed ?? 7;
  const secret = o.secret ?? 'kd-tok-3f9a1c77e2b54d0aa1b2c3d4e5f60718';
  const runId = o.runId ?? `fixture-${path}-${scope}-${mode}-s${seed}`;
  const rnd = mulberry32(seed);
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  mkdirSync(o.dir, { recursive: true });

  const roster = Array.from({ length: nBots }, (_, i) => {
    const f = FLEETS[i % FLEETS.length];
    const host = HOSTS[Math.floor(i / FLEETS.length) % HOSTS.length];
    const n = Math.floor(i / (FLEETS.length * ASSETS.length)) + 1;
    const asset = ASSETS[Math.floor(i / FLEETS.length) % ASSETS.length];
    const slug = `${f.prefix}-${asset}-${n}`;
    return { slug, host, daemon: `${f.fleet}-${host.slice(-1)}`, fleet: f.fleet, tenant: i % 3 === 0 ? 'tenant-b' : 'tenant-a', group: f.group, class: f.class, asset: asset.toUpperCase(), capability: f.class === 'agent' ? 'tools' : 'orders', run: `run-${f.prefix}-${n}`, tags: f.class === 'agent' ? ['agents'] : ['trading'], drainMs: f.drainMs };
  });
  const inScope = new Set(roster.filter((b) => scope === 'platform' || (scope === 'fleet' ? b.fleet === target : b.slug === target)).map((b) => b.slug));
  const daemons = [...new Set(roster.map((b) => `${b.host}/${b.daemon}`))];

  const ops: Array<Record<string, unknown>> = [];
  const op = (t: number, type: string, fields: Record<string, unknown> = {}) => ops.push({ t, type, ...fields });
  const issuedAt = T0 + 4000;
  const ackAt = issuedAt + 31.5;
  const engagedAt = issuedAt + 44.25;
  const releaseIssuedAt = issuedAt + 10_000;
  const releasedAt = releaseIssuedAt + 38.5;
  const endAt = releaseIssuedAt + 4000;
  const killVictim = 'rl-b';
  // Draining spread after engagedAt: within the path's promise to time-to-draining (from issuedAt), with a margin.
  const drainSpreadMs = Math.min(1800, propagationBudgetS(path) * 1000 - (engagedAt - issuedAt) - 50);
  const drainingAtOf = new Map<string, number>();

  op(T0, 'run-start', { runId, scenario: `path-${path}`, case: `kill.scope=${scope},kill.mode=${mode}`, seed, config: o.external ? { target: { kind: 'external', ...o.external }, runtime: `external:${o.external.name}` } : { preset: 'alphaswarm', bots: nBots, bugs: o.bugs ?? [], runtime: 'process' }, ...(o.detects ? { detects: o.detects } : {}) });
  op(T0 + 50, 'fleet-up', { endpoints: { brokerUrl: 'http://127.0.0.1:41234', redisUrl: 'redis://127.0.0.1:41235', venueUrl: 'http://127.0.0.1:41236' }, at: T0 + 50 });
  op(T0 + 60, 'roster', { bots: roster.map(({ drainMs: _d, ...b }) => b) });
  for (const d of daemons) {
    const [host, daemon] = d.split('/');
    op(T0 + 80, 'daemon', { host, daemon, event: 'start', pid: 4000 + daemons.indexOf(d), at: T0 + 70 });
  }
  op(T0 + 90, 'status', { ok: true, haltLevel: 0, incident: null, engaged: [], bootId: 'boot-1', at: T0 + 90 });

  const effects: Array<{ seq: number; key: string; bot: string; kind: string; dispatchedAt: number; receivedAt: number }> = [];
  const journalExtra: Array<Record<string, unknown>> = [];
  let keyN = 0;
  const effect = (bot: string, kind: string, dispatchedAt: number, latencyMs = between(0.8, 4)) => {
    effects.push({ seq: 0, key: `${bot}:${++keyN}`, bot, kind, dispatchedAt, receivedAt: dispatchedAt + latencyMs });
  };
  const phase = (b: (typeof roster)[number], p: string, from: string | null, atMs: number, reason: string) =>
    op(atMs + 3, 'phase', { slug: b.slug, phase: p, at: atMs, from, reason, host: b.host, daemon: b.daemon });

  const perBot = [];
  for (const b of roster) {
    const runAt = T0 + between(150, 600);
    phase(b, 'Running', null, runAt, 'boot');
    const tickMs = b.class === 'hft' ? 350 : 700;
    const killedDaemon = b.daemon === killVictim;
    const down = [T0 + 2500, T0 + 2750];
    const scoped = inScope.has(b.slug);
    const drainingAt = scoped ? engagedAt + between(5, drainSpreadMs) : null;
    if (drainingAt !== null) drainingAtOf.set(b.slug, drainingAt);
    const stoppedAt = drainingAt !== null ? drainingAt + b.drainMs * between(0.9, 1.3) : null;
    const restartAt = scoped ? releasedAt + between(20, 1500) : null;
    if (killedDaemon) phase(b, 'Running', 'Running', down[1] + between(10, 80), 'daemon restart');
    for (let t = runAt + between(0, tickMs); t < endAt; t += tickMs * between(0.8, 1.2)) {
      if (killedDaemon && t > down[0] && t < down[1]) continue;
      if (scoped && t > engagedAt - 5 && t < (restartAt as number)) continue;
      const kind = b.class === 'agent' ? 'action' : rnd() < 0.25 && b.class === 'hft' ? 'cancel' : 'order';
      effect(b.slug, kind, t);
    }
    if (scoped) {
      phase(b, 'Draining', 'Running', drainingAt as number, `killswitch ${scope}:${target} (${mode})`);
      if (mode !== 'freeze' && b.class === 'hft') effect(b.slug, 'cancel', (drainingAt as number) + 5);
      if (mode === 'flatten' && b.class === 'standard') effect(b.slug, 'close', (drainingAt as number) + 10);
      phase(b, 'Stopped', 'Draining', stoppedAt as number, 'drained');
      phase(b, 'Running', 'Stopped', restartAt as number, 'released');
    }
    perBot.push({ slug: b.slug, host: b.host, daemon: b.daemon, fleet: b.fleet, class: b.class, inScope: scoped, timeToDrainingMs: scoped ? (drainingAt as number) - issuedAt : null, timeToStopMs: scoped ? (stoppedAt as number) - issuedAt : null, restartMs: scoped ? (restartAt as number) - releaseIssuedAt : null });
  }
  // In flight at engagedAt (not violations), and the known post-flip violations.
  const scopedList = roster.filter((b) => inScope.has(b.slug));
  for (let i = 0; i < Math.min(5, scopedList.length); i++) effect(scopedList[i].slug, 'order', engagedAt - 2 - i * 0.1, 6);
  const forbidden = mode === 'freeze' ? 'cancel' : 'order';
  for (let i = 0; i < nPostFlip; i++) {
    const b = scopedList[(i * 37 + 11) % scopedList.length];
    const ownDraining = drainingAtOf.get(b.slug) as number;
    effect(b.slug, b.class === 'agent' ? 'action' : forbidden, engagedAt + (ownDraining - engagedAt) * between(0.2, 0.9));
  }
  effects.sort((a, b) => a.receivedAt - b.receivedAt).forEach((e, i) => (e.seq = i + 1));
  // What the venue did (contracts §5): orders and closes without a qty fill nothing, cancels find no open order.
  for (const e of effects) op(e.receivedAt + 60, 'effect', e.kind === 'action' ? e : { ...e, book: e.kind === 'cancel' ? 'not-open' : 'fill' });
  // The venue's own book once every in-scope bot was Stopped (well before the release): nothing rests, every bot flat.
  op(issuedAt + 5000, 'venue-book', { ok: true, at: issuedAt + 5000, bots: [...inScope], ordersSeq: effects.length, positionsSeq: effects.length, orders: [], positions: [] });
  // Intents the gateway rejected during the kill: in the journal, not in the ledger.
  for (const b of scopedList.slice(0, 9)) journalExtra.push({ bot: b.slug, key: `${b.slug}:rejected`, kind: 'order', intentAt: engagedAt + 15, outcome: 'rejected', seq: null });

  op(T0 + 2000, 'fault-injected', { id: 'pubsub-drop-node-b', kind: 'link-pubsub-drop', params: { link: 'bots-redis-sub.node-b', mode: 'channel' }, at: T0 + 2000 });
  op(T0 + 2500, 'fault-injected', { id: 'kill-rl-b', kind: 'process-kill', params: { component: killVictim, signal: 'SIGKILL' }, at: T0 + 2500 });
  op(T0 + 2502, 'daemon', { host: 'node-b', daemon: killVictim, event: 'exit', pid: 4000 + daemons.indexOf(`node-b/${killVictim}`), code: null, signal: 'SIGKILL', at: T0 + 2501 });
  op(T0 + 2752, 'daemon', { host: 'node-b', daemon: killVictim, event: 'start', pid: 5100, at: T0 + 2750 });
  op(T0 + 2760, 'fault-healed', { id: 'kill-rl-b', kind: 'process-kill', params: { component: killVictim, signal: 'SIGKILL' }, at: T0 + 2760 });
  const lever = { path, scope, target, mode, ...(o.level !== undefined ? { level: o.level } : {}) };
  op(issuedAt, 'lever-issued', { lever: 'kill', ...lever, at: issuedAt });
  op(ackAt, 'lever-ack', { lever: 'kill', ok: true, detail: { status: 200, request: { url: 'http://127.0.0.1:41234/bots/halt-all', headers: { authorization: `Bearer ${secret}` } } }, at: ackAt });
  op(engagedAt, 'lever-engaged', { lever: 'kill', at: engagedAt });
  op(engagedAt + 200, 'status', { ok: true, haltLevel: 0, incident: null, engaged: [`alphaswarm:bots:killswitch:${scope}:${target}`, ...GROUPS.map((g) => `alphaswarm:bots:killswitch:group:${g}`)], bootId: 'boot-1', at: engagedAt + 200 });
  op(T0 + 9000, 'fault-healed', { id: 'pubsub-drop-node-b', kind: 'link-pubsub-drop', params: { link: 'bots-redis-sub.node-b', mode: 'channel' }, at: T0 + 9000 });
  op(releaseIssuedAt, 'lever-issued', { lever: 'release', ...lever, at: releaseIssuedAt });
  op(releasedAt, 'lever-engaged', { lever: 'release', at: releasedAt });
  op(endAt - 10, 'observer-errors', { errors: [`killdrill: GET http://127.0.0.1:41234/audit with token ${secret} timed out`] });
  for (const e of effects) op(endAt, 'journal', { bot: e.bot, key: e.key, kind: e.kind, intentAt: e.dispatchedAt - 0.2, outcome: 'landed', seq: e.seq });
  for (const j of journalExtra) op(endAt, 'journal', j);
  op(endAt - 5, 'observers-stopped', { at: endAt - 5, ledgerSeq: effects.length });
  op(endAt + 1, 'journal-read', { intents: effects.length + journalExtra.length, files: daemons.length });
  ops.sort((a, b) => (a.t as number) - (b.t as number));
  // The verdicts are the real checkers' over this history, as the runner would judge it.
  const verdicts = runCheckers(parseHistory(ops.map((x) => JSON.stringify(x)).join('\n')), {});
  const judgement = judge(verdicts, o.detects as Parameters<typeof judge>[1]);
  const outcome = judgement.passed ? 'passed' : 'failed';
  ops.push({ t: endAt + 5, type: 'run-end', outcome });
  writeFileSync(join(o.dir, 'history.jsonl'), ops.map((x) => JSON.stringify(x)).join('\n') + '\n');

  const scopedBots = perBot.filter((b) => b.inScope);
  const pct = (k: 'timeToDrainingMs' | 'timeToStopMs') => {
    const s = scopedBots.map((b) => b[k] as number).sort((a, b) => a - b);
    const r = (p: number) => s[Math.max(0, Math.ceil(p * s.length) - 1)];
    return { p50: r(0.5), p99: r(0.99), max: s[s.length - 1] };
  };
  const caseId = `kill.scope=${scope},kill.mode=${mode}`;
  const result = {
    runId, file: `scenarios/paths/${path}.yaml`, scenario: `path-${path}`, caseId, matrixValues: { 'kill.scope': scope, 'kill.mode': mode }, seed, outcome,
    ...(outcome === 'failed' ? { reason: judgement.reasons.join('\n') } : {}),
    replay: `killdrill run scenarios/paths/${path}.yaml --case '${caseId}' --seed ${seed}`,
    startedAt: T0, endedAt: endAt + 5,
    environment: { hostname: 'ci-runner-1', node: 'v24.21.0', platform: 'linux-x64', gitRevision: '79a6f51c0ffee0000000000000000000000000ab' },
    lever: { ...lever, issuedAt, engagedAt, releaseIssuedAt, releasedAt },
    verdicts,
    ...(o.detects ? { detects: o.detects } : {}),
    perBot,
    stats: { timeToDrainingMs: pct('timeToDrainingMs'), timeToStopMs: pct('timeToStopMs') },
    counts: { bots: nBots, inScope: inScope.size, effects: effects.length, postFlipViolations: nPostFlip, inFlightAtEngaged: Math.min(5, scopedList.length), propagationTail: effects.filter((e) => inScope.has(e.bot) && e.kind !== 'cancel' && e.dispatchedAt > issuedAt && e.receivedAt <= engagedAt).length, journalIntents: effects.length + journalExtra.length, notLanded: journalExtra.length },
    faults: [
      { id: 'pubsub-drop-node-b', kind: 'link-pubsub-drop', params: { link: 'bots-redis-sub.node-b', mode: 'channel' }, injectedAt: T0 + 2000, healedAt: T0 + 9000 },
      { id: 'kill-rl-b', kind: 'process-kill', params: { component: killVictim, signal: 'SIGKILL' }, injectedAt: T0 + 2500, healedAt: T0 + 2760 },
    ],
  };
  writeFileSync(join(o.dir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  return { dir: o.dir, runId, bots: nBots, daemons: daemons.length, inScope: inScope.size, postFlip: nPostFlip, secret };
}
