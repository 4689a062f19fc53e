// Polls the effect ledger of a venue or drop-copy (GET <ledger url>?after=SEQ) into `effect` ops.
import { pollLoop, type PollLoop } from './poll-loop.ts';
import { getJson, withQuery } from '../../lib/http.ts';
import type { WireSource } from '../runtime/index.ts';
import type { LedgerEffect, LedgerPage } from '../../contracts/index.ts';
import type { Emit } from './emit.ts';

/** What mode-work-done needs to rebuild the venue's book: the order fields and what the venue did (contracts §5). */
const BOOK_FIELDS = ['side', 'qty', 'orderKey', 'book'] as const;
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
  return { ...loop, count: () => count, fresh: () => (backlog === null ? 0 : count - backlog) };
}
