// The gateway's order entry: NDJSON over TCP from the bot daemons, pipelined, each request
// checked against the kill state (when gatewayCheck) and forwarded to the venue.
import { createServer, type Server, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { allowedWhileKilled, type Mode } from '../model.ts';
import type { HaltFileWatch } from '../daemon/halt-file.ts';
import { idOf, parseObject, readLines, requestError, type EffectReply, type EffectRequest } from './ndjson.ts';
import { KillChecker } from './kill-check.ts';
import type { NdjsonClient } from './ndjson-client.ts';
import type { LossBreaker } from './loss-breaker.ts';
import { nowMs } from '../clock.ts';

/**
 * The gateway's shutdown gate (seed 003): once `shuttingDown`, every new request is answered 503
 * `shutting_down`; `inFlight` counts the requests accepted before it that have no reply yet.
 */
export interface ShutdownGate {
  shuttingDown: boolean;
  inFlight: number;
  /** The idempotency keys of the requests in flight (what a drain-timeout abandons). */
  open: Set<string>;
  /** New requests answered 503 since the request. */
  refused: number;
  /** The gateway-accepts-while-shutting-down bug: `shuttingDown` refuses nothing. */
  leaky?: boolean;
}

/** Answered to an order or action while `maxInFlight` submissions are open (cancels and closes always pass). */
export const OVERLOADED = 'killdrill: overloaded: the gateway has as many submissions open as its gatewayMaxInFlight allows; send it again later';

/** The gateway's throttle: its bound, and how many submissions it refused as overloaded. */
export interface Throttle {
  maxInFlight: number;
  shed: number;
}

export const SHUTTING_DOWN = 'killdrill: shutting_down: the gateway is stopping (SIGTERM) and accepts no new submission; send it again once it is back';

export interface GatewayOptions {
  redis: Redis;
  venue: NdjsonClient;
  prefix: string;
  defaultMode: Mode;
  check: boolean;
  gate?: ShutdownGate;
  /** Seed 003's EXECUTION_HALTED file (with `check`): halts every submission the default mode forbids. */
  haltFile?: HaltFileWatch;
  /**
   * Bounds the submissions open at once (accepted, not yet answered, over every connection). Without
   * it an offer above what the venue takes queued without bound: gigabytes in the gateway and
   * effects landing minutes after they were dispatched, past any kill check made at arrival.
   */
  throttle?: Throttle;
  /** Seed 003's consecutive-losses breaker (breakers.maxConsecutiveLosses): refuses a losing bot's new orders, learns from the venue's fills. */
  losses?: LossBreaker;
}

export const CIRCUIT_BREAKER = 'killdrill: circuit_breaker: consecutive losses: the bot\'s last closing fills all lost (breakers.maxConsecutiveLosses); no new order until its cooldown ends or a close wins';

export function createGatewayServer(o: GatewayOptions): Server {
  const checker = new KillChecker(o.redis, o.prefix, o.defaultMode);
  // One count of what is in flight, the gate's (a gateway without one keeps its own for the throttle).
  const flight: ShutdownGate = o.gate ?? { shuttingDown: false, inFlight: 0, open: new Set(), refused: 0 };
  return createServer({ noDelay: true }, (socket: Socket) => {
    socket.on('error', () => {});
    let out: string[] = [];
    let scheduled = false;
    const reply = (r: EffectReply) => {
      if (socket.destroyed) return;
      out.push(JSON.stringify(r));
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          const text = `${out.join('\n')}\n`;
          out = [];
          if (!socket.destroyed) socket.write(text);
        });
      }
    };
    const handle = async (req: EffectRequest) => {
      const g = o.gate;
      if (g?.shuttingDown && !g.leaky) {
        g.refused++;
        return reply({ id: req.id, ok: false, error: SHUTTING_DOWN, retryable: true, status: 503, code: 'shutting_down' });
      }
      // The throttle: the kill's own work (cancels, closes) is never refused for load.
      const t = o.throttle;
      if (t && flight.inFlight >= t.maxInFlight && req.kind !== 'cancel' && req.kind !== 'close') {
        t.shed++;
        return reply({ id: req.id, ok: false, error: OVERLOADED, retryable: true, status: 503, code: 'overloaded' });
      }
      flight.inFlight++;
      flight.open.add(req.key);
      try {
        await forward(req);
      } finally {
        flight.inFlight--;
        flight.open.delete(req.key);
      }
    };
    const forward = async (req: EffectRequest) => {
      if (o.check) {
        const halted = o.haltFile?.current() ?? null;
        if (halted !== null && !allowedWhileKilled(req.kind, o.defaultMode))
          return reply({ id: req.id, ok: false, error: `killdrill: kill switch engaged (EXECUTION_HALTED file ${o.haltFile!.path}: ${halted}); ${req.kind} not allowed in ${o.defaultMode} mode`, retryable: false });
        const v = await checker.check(req);
        if (!v.pass) return reply({ id: req.id, ok: false, error: v.error, retryable: v.retryable });
      }
      if (o.losses && req.kind === 'order' && o.losses.blocks(req.bot, nowMs())) return reply({ id: req.id, ok: false, error: CIRCUIT_BREAKER, retryable: false, code: 'circuit_breaker' });
      const { id, ...fields } = req;
      const r = await o.venue.request(fields);
      if (!r.ok) return reply({ id, ok: false, error: r.error, retryable: true });
      const v = r.reply;
      if (v.ok === true) {
        if (o.losses && v.book === 'fill' && typeof v.price === 'number' && req.side && typeof req.qty === 'number')
          o.losses.fill({ bot: req.bot, asset: req.asset, side: req.side, qty: req.qty, price: v.price, at: v.receivedAt as number });
        return reply({ id, ok: true, seq: v.seq as number, receivedAt: v.receivedAt as number });
      }
      reply({ id, ok: false, error: String(v.error ?? 'killdrill: venue rejected the effect'), retryable: v.retryable === true });
    };
    readLines(
      socket,
      (lines) => {
        for (const line of lines) {
          const obj = parseObject(line);
          if (!obj) {
            reply({ id: null, ok: false, error: 'killdrill: not a JSON object line; send one effect request per line (contracts §5)', retryable: false });
            continue;
          }
          const err = requestError(obj);
          if (err) {
            reply({ id: idOf(obj), ok: false, error: err, retryable: false });
            continue;
          }
          handle(obj as unknown as EffectRequest).catch((e: unknown) =>
            reply({ id: idOf(obj), ok: false, error: `killdrill: gateway error: ${(e as Error).message}`, retryable: true }),
          );
        }
      },
      () => {
        socket.write(`${JSON.stringify({ id: null, ok: false, error: 'killdrill: line longer than 1 MiB; closing the connection', retryable: false })}\n`);
        socket.end();
      },
    );
  });
}
