// Polls the effect ledger of a venue or drop-copy (GET <ledger url>?after=SEQ) into `effect` ops.
import { pollLoop, type PollLoop } from './poll-loop.ts';
import { getJson, withQuery } from '../../lib/http.ts';
import { InfraError, type WireSource } from '../runtime/index.ts';
import { nowMs } from '../../contracts/index.ts';
import type { LedgerEffect, LedgerPage } from '../../contracts/index.ts';
import type { Emit } from './emit.ts';

/** What mode-work-done needs to rebuild the venue's book: the order fields and what the venue did (contracts §5); a fill's `price` (breaker-tripped's P&L). */
const BOOK_FIELDS = ['side', 'qty', 'orderKey', 'book', 'price'] as const;
function bookFields(e: LedgerEffect): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of BOOK_FIELDS) if (e[f] !== undefined) out[f] = e[f];
  if (e.type !== undefined) out.orderType = e.type; // the op's own `type` is 'effect'
  return out;
}

export interface LedgerObserver extends PollLoop {
  count(): number;
  /** Effects read after the first full read (what an external target did since the run began, not its backlog). */
  fresh(): number;
  /** The first full read is done: every effect the ledger had when observing began has been read. */
  caughtUp(): boolean;
}

export function observeLedger(ledger: WireSource, emit: Emit, onError: (e: unknown) => void, intervalMs = 100, onOk?: () => void): LedgerObserver {
  let after = 0;
  let count = 0;
  let backlog: number | null = null;
  const tick = async () => {
    for (;;) {
      const page = await getJson<LedgerPage>(withQuery(ledger.url, { after, limit: 5000 }), { timeoutMs: 5000, ...(ledger.token !== undefined ? { token: ledger.token } : {}), error: (status, _t, path) => `killdrill: the ledger's GET ${path} answered ${status}` });
      for (const e of page.effects) {
        count++;
        emit({ type: 'effect', seq: e.seq, key: e.key, bot: e.bot, kind: e.kind, dispatchedAt: e.dispatchedAt, receivedAt: e.receivedAt, ...bookFields(e) });
      }
      if (typeof page.next === 'number' && page.next > after) after = page.next;
      if (page.effects.length < 5000) {
        backlog ??= count;
        return;
      }
    }
  };
  const loop = pollLoop(intervalMs, tick, onError, onOk);
  return { ...loop, count: () => count, fresh: () => (backlog === null ? 0 : count - backlog), caughtUp: () => backlog !== null };
}

/** How long the ledger observer may take to read a target's backlog before the case's timeline starts. */
export const LEDGER_BACKLOG_TIMEOUT_MS = 60_000;

/**
 * Waits until the ledger observer has read every effect the ledger had when observing began (a running
 * target's backlog), or errors after `timeoutMs` naming how far it got; `sleep` is the case's own (it
 * throws on an abort or a stop condition).
 */
export async function waitForBacklog(ledger: Pick<LedgerObserver, 'caughtUp' | 'count'>, timeoutMs: number, sleep: (until: number) => Promise<void>): Promise<void> {
  const start = nowMs();
  while (!ledger.caughtUp()) {
    if (nowMs() - start > timeoutMs) {
      throw new InfraError(`killdrill: the target's ledger backlog was not read within ${timeoutMs / 1000} s (${ledger.count()} effects read so far), so the warm-up and the lever would run blind; point ledger.url at a venue or drop-copy whose history is shorter, or try again`);
    }
    await sleep(nowMs() + 50);
  }
}
