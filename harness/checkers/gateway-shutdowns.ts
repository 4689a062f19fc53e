// The gateway's own shutdown gate, judged for no-partial-orders (seed 003: the execution service
// answers 503 `shutting_down` once its shutdown began). A gateway life runs from its
// `shutdown-requested` (component 'gateway') to its `drained`/`drain-timeout`, else to its next
// shutdown-requested, else to the end of the observed run. From the ledger, the ground truth: no
// effect a bot dispatched at or after the request may have been received by the venue before
// the life's end — a gateway that refuses reads every such request after its gate closed.
import type { EffectOp, ShutdownOp } from '../history/index.ts';

export interface GatewayLife {
  bootId: string;
  requestedAt: number;
  endAt: number;
  end: 'drained' | 'drain-timeout' | 'next-request' | 'run-end';
  waitedMs: number | null;
  inFlight: number | null;
}

export interface GatewayLeak {
  bootId: string;
  key: string;
  bot: string;
  kind: string;
  dispatchedAt: number;
  receivedAt: number;
  afterMs: number;
}

export function gatewayLives(records: ShutdownOp[], until: number): GatewayLife[] {
  const mine = records.filter((r) => r.component === 'gateway');
  const requests = mine.filter((r) => r.event === 'shutdown-requested').sort((a, b) => a.at - b.at);
  return requests.map((r, i) => {
    const closing = mine.find((x) => x.bootId === r.bootId && (x.event === 'drained' || x.event === 'drain-timeout'));
    const next = requests[i + 1];
    const end: Pick<GatewayLife, 'endAt' | 'end'> = closing
      ? { endAt: closing.at, end: closing.event as 'drained' | 'drain-timeout' }
      : next
        ? { endAt: next.at, end: 'next-request' }
        : { endAt: Math.max(until, r.at), end: 'run-end' };
    return { bootId: r.bootId, requestedAt: r.at, ...end, waitedMs: closing?.waitedMs ?? null, inFlight: r.inFlight ?? null };
  });
}

/** Effects dispatched at or after a gateway's shutdown-requested that the venue received before that life ended. */
export function gatewayLeaks(lives: GatewayLife[], effects: EffectOp[]): GatewayLeak[] {
  const out: GatewayLeak[] = [];
  for (const l of lives)
    for (const e of effects)
      if (e.dispatchedAt >= l.requestedAt && e.receivedAt <= l.endAt)
        out.push({ bootId: l.bootId, key: e.key, bot: e.bot, kind: e.kind, dispatchedAt: e.dispatchedAt, receivedAt: e.receivedAt, afterMs: e.dispatchedAt - l.requestedAt });
  return out;
}
