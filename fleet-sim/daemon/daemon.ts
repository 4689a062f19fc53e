// A bot daemon (contracts §6): runs every bot of one host+daemon with one Redis connection
// pair, one pipelined gateway connection, one coalesced scheduler and one journal.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { bindHost, linkAddress, type FleetFile } from '../fleet-file.ts';
import { allowedWhileKilled, strictest, keysForBot, nowMs, phaseHashKey, phaseStreamKey, type Bug } from '../model.ts';
import { NdjsonClient } from '../gateway/ndjson-client.ts';
import { BotRunner, type Dispatch, type DispatchStatus, type PhaseSink } from './bot-runner.ts';
import { FlagStore } from './flag-store.ts';
import { Journal, positionsFromJournal, workingOrdersFromJournal } from './journal.ts';
import { KillView, type KillState } from './kill-view.ts';
import { PhaseWriter } from './phase-writer.ts';
import { PhaseLog } from './phase-log.ts';
import { rngFor } from './prng.ts';
import { rogueFile } from './rogue.ts';
import { HaltFileWatch, haltFilePath } from './halt-file.ts';
import { barsNeeded, breakersOn } from './breakers.ts';
import { BreakerBoard } from './breaker-board.ts';
import { MarketFeedClient } from './market-feed-client.ts';

const TERMINATING: KillState = { killed: true, mode: 'cancel', reason: 'SIGTERM: daemon stopping' };
/** The boots-running bug: the pod's default posture, taken before the first kill-state read. */
const NOT_YET_READ: KillState = { killed: false, mode: 'cancel', reason: 'boot (kill state not read yet)' };
const BOOT_WAIT_MS = 2000;
/**
 * A pass runs every bot due within the next QUANTUM_MS (at most a quarter of the shortest
 * tick): a bot ticks up to that much early. With 1 ms, 12 daemons of a 1,000-bot fleet woke
 * ~400 times a second each and the kernel work per wake-up (not JS) was most of their CPU.
 * Side by side in bench/fleet.ts, 1 → 10 ms took the daemons from 80 % to 51 % of a core and
 * the p99 effect latency from 184 to 54 ms.
 */
const QUANTUM_MS = 10;
/** The sigterm-abandons-inflight bug: the only wait of its SIGTERM handler (logs flushed), loops still running. */
const BUGGY_GRACE_MS = 250;

/** The ignores-agent-scopes bug: the bots never look at seed 004's tenant, capability and run keys (the gateway still does). */
const AGENT_SCOPES = ['tenant', 'capability', 'run'];
function ignoredKey(bugs: readonly Bug[], prefix: string, key: string): boolean {
  return bugs.includes('ignores-agent-scopes') && AGENT_SCOPES.some((s) => key.startsWith(`${prefix}:${s}:`));
}

export class Daemon {
  readonly bootId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  readonly bots: BotRunner[];
  readonly view: KillView;
  readonly journal: Journal;
  private readonly store: FlagStore;
  private readonly phases: PhaseWriter;
  private readonly phaseLog: PhaseLog;
  private readonly gateway: NdjsonClient;
  private readonly bugs: readonly Bug[];
  private terminating = false;
  /**
   * The shutdown gate (seed 003): set at SIGTERM. From then on no new submission (a kind the cancel
   * mode forbids: order, action) starts; the drain's cancels still go out.
   */
  private shutdownAt: number | null = null;
  private refused = 0;
  /** Every dispatch whose reply has not come back: what a shutdown waits for. */
  private readonly open = new Set<string>();
  /** The rogue-bot fault: set while `<dataDir>/control/<host>.<daemon>.rogue` exists (re-read on SIGUSR2). */
  private rogue = false;
  /** No phase changes before every bot has its boot phase. */
  private booted = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private healthTimer: NodeJS.Timeout | null = null;
  private n = 0;
  /** Fills an earlier process sent whose outcome it never saw: their effect on the positions it adopted is unknown (reported at ready). */
  uncertainFills = 0;
  /** Seed 003's EXECUTION_HALTED file, read (a stat, re-read on change) at every kill evaluation. */
  private readonly haltFile: HaltFileWatch;
  /** Bots due within this many ms run in one pass: one wake-up and one socket write for all of them. */
  private readonly quantumMs: number;
  /** Seed 003's circuit breakers and the market data they read (fleet config `breakers`; null when off). */
  private readonly feed: MarketFeedClient | null = null;
  private readonly fleet: FleetFile;
  private readonly host: string;
  private readonly daemon: string;

  constructor(fleet: FleetFile, host: string, daemon: string) {
    this.fleet = fleet;
    this.host = host;
    this.daemon = daemon;
    const c = fleet.config;
    this.haltFile = new HaltFileWatch(haltFilePath(c));
    this.bugs = c.bugs;
    this.view = new KillView({ pollIntervalS: c.pollIntervalS, defaultMode: c.defaultMode, bugs: c.bugs });
    this.journal = new Journal(c.dataDir, host, daemon);
    this.phaseLog = new PhaseLog(c.dataDir, host, daemon);
    const g = linkAddress(fleet, `bots-gateway.${host}`);
    this.gateway = new NdjsonClient({ host: g.host, port: g.port, name: 'gateway', timeoutMs: 5000, beforeWrite: () => this.journal.flush() });
    const minTick = Math.min(...Object.values(c.classes).map((k) => k.tickMs));
    this.quantumMs = Math.max(1, Math.min(QUANTUM_MS, Math.floor(minTick / 4)));
    const mine = fleet.topology.bots.filter((b) => b.host === host && b.daemon === daemon);
    const keys = new Set<string>();
    let breaker: ((b: BotRunner, now: number) => ReturnType<BreakerBoard['check']>) | undefined;
    if (c.breakers && breakersOn(c.breakers)) {
      // The venue's HTTP directly (not a link: the feed is not yet a link of the fault proxy; process runtime).
      this.feed = new MarketFeedClient(`http://${bindHost(fleet)}:${fleet.ports.venueHttp}`, barsNeeded(c.breakers), c.market?.barMs ?? 250);
      const board = new BreakerBoard(c.breakers, this.feed, c.bugs, (r) => this.journal.breaker({ ...r, host, daemon, pid: process.pid }));
      // Trading strategies only: an agent's actions have no market.
      breaker = (b, now) => (b.bot.class === 'agent' ? null : board.check(b.bot, now));
    }
    const deps = { dispatch: this.dispatch, phase: this.onPhase, killOf: this.killOf, bugs: c.bugs, wake: () => this.reschedule(true), rogue: () => this.rogue, breaker };
    this.bots = mine.map((b) => {
      const k = keysForBot(c.keyPrefix, b).filter((key) => !ignoredKey(c.bugs, c.keyPrefix, key));
      for (const x of k) keys.add(x);
      return new BotRunner(b, c.classes[b.class], rngFor(c.seed, b.slug), k, deps);
    });
    // What an earlier process of this daemon (killed, restarted by KeepAlive) left working at the venue.
    const left = workingOrdersFromJournal(this.journal.file);
    for (const b of this.bots) b.adoptWorking(left.get(b.bot.slug) ?? []);
    // And the positions it left: a flatten in this life closes them too.
    const held = positionsFromJournal(this.journal.file);
    for (const b of this.bots) b.adoptPosition(held.net.get(b.bot.slug) ?? 0);
    this.uncertainFills = [...held.uncertain.values()].reduce((a, n) => a + n, 0);
    this.store = new FlagStore({
      sub: linkAddress(fleet, `bots-redis-sub.${host}`),
      poll: linkAddress(fleet, `bots-redis-poll.${host}`),
      prefix: c.keyPrefix,
      pollIntervalS: c.pollIntervalS,
      bugs: c.bugs,
      keys: [...keys],
      view: this.view,
      onChange: () => this.reconcile(),
    });
    this.phases = new PhaseWriter(this.store.poller, phaseStreamKey(c.keyPrefix), phaseHashKey(c.keyPrefix));
    // A Redis that restarted empty must list every bot again, also the ones that did not move.
    this.store.poller.on('ready', () => this.booted && this.phases.refreshHash());
  }

  /** Reads the kill state (unless the resume-ignores-halt bug), writes every bot's first phase, starts the load. */
  async start(): Promise<void> {
    this.rogue = existsSync(rogueFile(this.fleet.config.dataDir, this.host, this.daemon));
    const ignoreHalt = this.bugs.includes('resume-ignores-halt');
    if (this.bugs.includes('boots-running')) {
      // The bug: every bot reports Running from the pod's default posture before the first read; the read drains them.
      const t = nowMs();
      for (const b of this.bots) b.boot(NOT_YET_READ, t);
      await this.store.boot(true, BOOT_WAIT_MS);
      this.booted = true;
      this.reconcile();
      return this.begin();
    }
    await this.store.boot(!ignoreHalt, BOOT_WAIT_MS);
    // The resume-ignores-halt bug: the restarted daemon assumes all is well and resumes.
    if (ignoreHalt) this.view.assumeRead(nowMs());
    const now = nowMs();
    for (const b of this.bots) b.boot(this.killOf(b, now), now);
    return this.begin();
  }

  /** Every bot has its boot phase: polling, the health check and the load start. */
  private async begin(): Promise<void> {
    this.booted = true;
    this.store.startPolling();
    const checkMs = Math.max(20, Math.min(250, (this.fleet.config.pollIntervalS * 1000) / 4));
    // The health check also applies a halt file written meanwhile to bots between ticks (within checkMs).
    this.healthTimer = setInterval(() => this.reconcile(), checkMs);
    await this.gateway.waitConnected(BOOT_WAIT_MS);
    // The breakers judge the first tick on bars read, not on none yet (a first read that failed on a
    // busy machine tripped every bot's market-data breaker at boot: "no bar at all").
    if (this.feed) {
      await this.feed.readFirst(BOOT_WAIT_MS);
      this.feed.start();
    }
    this.reschedule(true);
  }

  /**
   * SIGTERM (seed 003's sequence): the gate closes (`shutdown-requested`), every bot drains in cancel
   * mode, the daemon waits up to `drainTimeoutS` for every dispatch in flight to land or be rejected,
   * journals `drained` (or `drain-timeout` with the keys abandoned), writes the phases and returns (exit).
   */
  async stop(why = 'SIGTERM'): Promise<void> {
    if (this.terminating) return;
    const t0 = nowMs();
    this.journal.shutdown({ event: 'shutdown-requested', at: t0, host: this.host, daemon: this.daemon, pid: process.pid, bootId: this.bootId, reason: why, inFlight: this.open.size });
    if (this.bugs.includes('sigterm-abandons-inflight')) {
      // The bug: no gate, no drain; the loops keep running while the handler flushes, then the sockets close under them.
      await new Promise((r) => setTimeout(r, BUGGY_GRACE_MS));
      return this.close();
    }
    this.shutdownAt = t0;
    this.terminating = true;
    this.reconcile();
    const limitMs = this.fleet.config.drainTimeoutS * 1000;
    const done = () => this.open.size === 0 && this.bots.every((b) => b.phase === 'Stopped');
    while (!done() && nowMs() - t0 < limitMs) await new Promise((r) => setTimeout(r, 10));
    const at = nowMs();
    const base = { at, host: this.host, daemon: this.daemon, pid: process.pid, bootId: this.bootId, waitedMs: Math.round(at - t0), refused: this.refused };
    if (this.open.size === 0) this.journal.shutdown({ event: 'drained', ...base });
    else this.journal.shutdown({ event: 'drain-timeout', ...base, abandoned: [...this.open] });
    await this.phases.settle(Math.max(500, limitMs - (nowMs() - t0)));
    this.close();
  }

  private close(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.feed?.close();
    this.journal.close();
    this.phaseLog.close();
    this.gateway.close();
    this.store.close();
  }

  /** SIGUSR2: the control API switched the rogue-bot fault on or off (its file); the load follows at once. */
  readControl(): boolean {
    this.rogue = existsSync(rogueFile(this.fleet.config.dataDir, this.host, this.daemon));
    if (this.booted) this.reschedule(true);
    return this.rogue;
  }

  get gatewayConnected(): boolean {
    return this.gateway.connected;
  }

  private killOf = (b: BotRunner, now: number): KillState => {
    if (this.terminating) return TERMINATING;
    const v = this.view.evaluate(b.keys, now);
    // The halt file is one more global key (in the fleet's defaultMode): a Redis kill with a stricter mode wins.
    const halted = this.haltFile.current();
    if (halted === null) return v;
    const file = { mode: this.fleet.config.defaultMode, reason: `EXECUTION_HALTED file ${this.haltFile.path}: ${halted}` };
    const w = strictest([file, v.killed ? { mode: v.mode, reason: v.reason } : null])!;
    return { killed: true, mode: w.mode, reason: w.reason };
  };

  /** Applies the current kill view to every bot at once (pub/sub engage → Draining without waiting for ticks). */
  private reconcile(): void {
    if (!this.booted) return;
    const now = nowMs();
    for (const b of this.bots) b.reconcile(this.killOf(b, now), now);
    this.reschedule(false);
  }

  private onPhase: PhaseSink = (b, from, to, reason, at) => {
    const e = { slug: b.bot.slug, phase: to, at, from, reason, host: this.host, daemon: this.daemon, pid: process.pid };
    this.phaseLog.append(e);
    this.phases.push(e);
  };

  private dispatch: Dispatch = (b, fields, key) => {
    const k = key ?? `${b.bot.slug}:${this.bootId}:${++this.n}`;
    // The shutdown gate: no new submission once SIGTERM came; refused before its intent, so it never starts.
    if (this.shutdownAt !== null && !allowedWhileKilled(fields.kind, 'cancel')) {
      this.refused++;
      return { key: k, done: Promise.resolve<DispatchStatus>('rejected') };
    }
    const at = nowMs();
    const bot = b.bot;
    this.open.add(k);
    this.journal.intent(k, bot.slug, fields.kind, at, { orderType: fields.type, orderKey: fields.orderKey, side: fields.side, qty: fields.qty });
    const req = { key: k, bot: bot.slug, fleet: bot.fleet, tenant: bot.tenant, group: bot.group, asset: bot.asset, capability: bot.capability, run: bot.run, ...fields, dispatchedAt: at };
    const done = this.gateway.request(req).then((r): DispatchStatus => {
      this.open.delete(k);
      const t = nowMs();
      if (r.ok && r.reply.ok === true) {
        this.journal.outcome(k, bot.slug, 'landed', t, r.reply.seq as number);
        return 'landed';
      }
      if (r.ok) {
        this.journal.outcome(k, bot.slug, 'rejected', t);
        return 'rejected';
      }
      if (!r.sent) {
        this.journal.outcome(k, bot.slug, 'failed', t);
        return 'failed';
      }
      return 'unknown'; // lost in flight: it may have landed; the journal leaves it open
    });
    return { key: k, done };
  };

  /** One timer per daemon, set to the earliest due bot; `soon` runs a pass at once. */
  private reschedule(soon: boolean): void {
    let due = soon ? nowMs() : Infinity;
    for (const b of this.bots) {
      const t = b.nextDue();
      if (t < due) due = t;
    }
    if (due === Infinity || due >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = setTimeout(() => this.pass(), Math.max(0, due - nowMs()));
  }

  private pass(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = nowMs();
    const horizon = now + this.quantumMs; // ticks and retries due within the quantum run now
    for (const b of this.bots) b.runDue(now, horizon);
    this.reschedule(false);
  }
}
