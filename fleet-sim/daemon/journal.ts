// The daemon's journal (contracts §6): one JSONL file per daemon in `<dataDir>/journal/`.
// Intents are written synchronously before the request bytes leave (the gateway client
// calls `flush` right before each socket write); outcomes within one event-loop turn.
// Everything written survives a SIGKILL of the process.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalBreaker, JournalIntent, JournalOutcome, JournalShutdown, OutcomeStatus } from '../../contracts/index.ts';

// The line formats are the wire contract's (contracts/records.ts): the harness reads them back.
export type { OutcomeStatus };

export class Journal {
  readonly file: string;
  private fd: number;
  private buf: string[] = [];
  private scheduled = false;
  private closed = false;

  constructor(dataDir: string, host: string, daemon: string) {
    const dir = join(dataDir, 'journal');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${host}.${daemon}.jsonl`);
    this.fd = openSync(this.file, 'a');
  }

  /** Queues an intent; it is on disk before `flush` returns (called before every dispatch write). */
  intent(key: string, bot: string, kind: string, at: number, order?: { orderType?: string; orderKey?: string; side?: 'buy' | 'sell'; qty?: number }): void {
    const line: JournalIntent = {
      type: 'intent', key, bot, kind, at,
      ...(order?.orderType ? { orderType: order.orderType } : {}),
      ...(order?.orderKey ? { orderKey: order.orderKey } : {}),
      ...(order?.side ? { side: order.side } : {}),
      ...(order?.qty !== undefined ? { qty: order.qty } : {}),
    };
    this.buf.push(JSON.stringify(line));
  }

  outcome(key: string, bot: string, status: OutcomeStatus, at: number, seq?: number): void {
    const line: JournalOutcome = seq === undefined ? { type: 'outcome', key, bot, status, at } : { type: 'outcome', key, bot, status, seq, at };
    this.buf.push(JSON.stringify(line));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** A circuit breaker's transition or failed evaluation (seed 003): written within this event-loop turn. */
  breaker(rec: Omit<JournalBreaker, 'type'>): void {
    const line: JournalBreaker = { type: 'breaker', ...rec };
    this.buf.push(JSON.stringify(line));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** A shutdown-gate record (seed 003): on disk when this returns, with everything queued before it. */
  shutdown(rec: Omit<JournalShutdown, 'type'>): void {
    const line: JournalShutdown = { type: 'shutdown', ...rec };
    this.buf.push(JSON.stringify(line));
    this.flush();
  }

  flush(): void {
    this.scheduled = false;
    if (!this.buf.length || this.closed) return;
    const text = `${this.buf.join('\n')}\n`;
    this.buf = [];
    writeSync(this.fd, text);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * The limit orders an earlier process of this daemon left working, per bot, from its journal: every
 * `limit` order intent that landed or whose outcome was never written (lost in flight, or the process
 * was killed first), less those a landed cancel took back. A daemon restarted by KeepAlive adopts
 * them, so its drain cancels what its previous life left resting (seed 004: recovery from the journal).
 */
export function workingOrdersFromJournal(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(file)) return out;
  const orders = new Map<string, string>(); // order key → bot
  const outcome = new Map<string, string>();
  const cancels: Array<{ key: string; orderKey: string }> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let o: { type?: string; key?: string; bot?: string; kind?: string; orderType?: string; orderKey?: string; status?: string };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      continue; // a torn last line
    }
    if (typeof o.key !== 'string') continue;
    if (o.type === 'intent' && o.kind === 'order' && o.orderType === 'limit' && typeof o.bot === 'string') orders.set(o.key, o.bot);
    else if (o.type === 'intent' && o.kind === 'cancel' && typeof o.orderKey === 'string') cancels.push({ key: o.key, orderKey: o.orderKey });
    else if (o.type === 'outcome' && typeof o.status === 'string') outcome.set(o.key, o.status);
  }
  for (const c of cancels) if (outcome.get(c.key) === 'landed') orders.delete(c.orderKey);
  for (const [key, bot] of orders) {
    const st = outcome.get(key);
    if (st === 'rejected' || st === 'failed') continue;
    out.set(bot, [...(out.get(bot) ?? []), key]);
  }
  return out;
}

/**
 * Each bot's net position as an earlier process of this daemon left it, from its journal: the
 * landed fills (market orders and closes, contracts §5) with their side and quantity. A daemon
 * restarted by KeepAlive (or stopped and started by a broker halt) adopts it, so a flatten after
 * the restart closes what the venue holds, not only what this life traded. `uncertain` counts the
 * fills whose outcome never came back (lost in flight, the process killed first): they may or may
 * not have filled, and only the venue knows.
 */
export function positionsFromJournal(file: string): { net: Map<string, number>; uncertain: Map<string, number> } {
  const net = new Map<string, number>();
  const uncertain = new Map<string, number>();
  if (!existsSync(file)) return { net, uncertain };
  const fills = new Map<string, { bot: string; q: number }>();
  const outcome = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let o: { type?: string; key?: string; bot?: string; kind?: string; orderType?: string; side?: string; qty?: number; status?: string };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      continue; // a torn last line
    }
    if (typeof o.key !== 'string') continue;
    const fill = o.kind === 'close' || (o.kind === 'order' && o.orderType !== 'limit');
    if (o.type === 'intent' && fill && typeof o.bot === 'string' && (o.side === 'buy' || o.side === 'sell') && typeof o.qty === 'number') {
      fills.set(o.key, { bot: o.bot, q: o.side === 'buy' ? o.qty : -o.qty });
    } else if (o.type === 'outcome' && typeof o.status === 'string') outcome.set(o.key, o.status);
  }
  for (const [key, f] of fills) {
    const st = outcome.get(key);
    if (st === 'landed') net.set(f.bot, (net.get(f.bot) ?? 0) + f.q);
    else if (st === undefined || st === 'unknown') uncertain.set(f.bot, (uncertain.get(f.bot) ?? 0) + 1);
  }
  return { net, uncertain };
}
