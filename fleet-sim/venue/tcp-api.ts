// The venue's order entry (contracts §5): NDJSON over TCP, pipelined. Accepts every valid
// effect (no dedupe: the harness must see a double landing), assigns its seq, applies it to
// the book (book.ts) and records it with the book's outcome in the ledger before replying.
// Agent tool calls fail once, transiently, for a deterministic share of keys, so agents have
// retries scheduled when a kill lands.
import { createServer, type Server } from 'node:net';
import { nowMs } from '../model.ts';
import { idOf, parseObject, readLines, requestError, type EffectReply, type EffectRequest } from '../gateway/ndjson.ts';
import type { Ledger } from './ledger.ts';
import type { Book } from './book.ts';
import type { MarketFeed } from './market-data.ts';

/** One in this many agent actions fails on its first attempt (retryable). */
const ACTION_FAIL_ONE_IN = 5;

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** `feed`: prices each fill (its `price` on the ledger line and in the reply); without it fills carry no price. */
export function createVenueTcp(ledger: Ledger, book: Book, feed?: MarketFeed): Server {
  const failedOnce = new Set<string>();
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => {});
    readLines(
      socket,
      (lines) => {
        const replies: EffectReply[] = [];
        for (const line of lines) {
          const o = parseObject(line);
          if (!o) {
            replies.push({ id: null, ok: false, error: 'killdrill: not a JSON object line; send one effect request per line (contracts §5)', retryable: false });
            continue;
          }
          const err = requestError(o);
          if (err) {
            replies.push({ id: idOf(o), ok: false, error: err, retryable: false });
            continue;
          }
          const req = o as unknown as EffectRequest;
          if (req.kind === 'action' && hash32(req.key) % ACTION_FAIL_ONE_IN === 0 && !failedOnce.has(req.key)) {
            failedOnce.add(req.key);
            replies.push({ id: req.id, ok: false, error: 'killdrill: tool call failed (simulated transient failure); retry later', retryable: true });
            continue;
          }
          const { id: _id, ...fields } = req;
          const outcome = book.decide(fields);
          const price = outcome === 'fill' ? (feed?.fillPrice(req.asset, req.side) ?? undefined) : undefined;
          const e = ledger.append(req, nowMs(), outcome, price);
          book.record({ ...fields, ...e }, outcome);
          replies.push({ id: req.id, ok: true, seq: e.seq, receivedAt: e.receivedAt, ...(outcome ? { book: outcome } : {}), ...(price !== undefined ? { price } : {}) });
        }
        ledger.flush();
        if (replies.length) socket.write(`${replies.map((r) => JSON.stringify(r)).join('\n')}\n`);
      },
      () => {
        socket.write(`${JSON.stringify({ id: null, ok: false, error: 'killdrill: line longer than 1 MiB; closing the connection', retryable: false })}\n`);
        socket.end();
      },
    );
  });
  return server;
}
