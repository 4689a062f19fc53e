// The daemon's journal (contracts §6): one JSONL file per daemon in `<dataDir>/journal/`.
// Intents are written synchronously before the request bytes leave (the gateway client
// calls `flush` right before each socket write); outcomes within one event-loop turn.
// Everything written survives a SIGKILL of the process.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalIntent, JournalOutcome, JournalShutdown, OutcomeStatus } from '../../contracts/index.ts';

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
  intent(key: string, bot: string, kind: string, at: number, order?: { orderType?: string; orderKey?: string }): void {
    const line: JournalIntent = { type: 'intent', key, bot, kind, at, ...(order?.orderType ? { orderType: order.orderType } : {}), ...(order?.orderKey ? { orderKey: order.orderKey } : {}) };
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
