// Newline-delimited JSON over TCP (docs/contracts.md §5): line framing shared by the
// venue, the gateway and the daemons' gateway client. One request per line, one reply per line.
import type { Socket } from 'node:net';
import { EFFECT_KINDS, ORDER_TYPES, type BookOutcome, type Effect } from '../../contracts/index.ts';

export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Calls `onLines` with every complete line of each chunk (one call per chunk, so a
 * reader can batch its work), and `onOverflow` when a line grows past `maxLineBytes`
 * without a newline (the partial line is discarded).
 */
export function readLines(socket: Socket, onLines: (lines: string[]) => void, onOverflow: () => void, maxLineBytes = MAX_LINE_BYTES): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    const last = buf.lastIndexOf('\n');
    if (last < 0) {
      if (buf.length > maxLineBytes) {
        buf = '';
        onOverflow();
      }
      return;
    }
    const complete = buf.slice(0, last);
    buf = buf.slice(last + 1);
    const lines = complete.split('\n');
    for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
    onLines(lines.filter((l) => l.trim() !== ''));
  });
}

/** Parses a line as a JSON object; null when it is not one. */
export function parseObject(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// The effect and its kinds and order types are the wire contract's (contracts/records.ts).
export { EFFECT_KINDS, ORDER_TYPES, type EffectKind, type OrderType } from '../../contracts/index.ts';

/** An effect request as bots send it (contracts §5): the effect and the line's `id`. */
export interface EffectRequest extends Effect {
  id: number | string;
}

export type EffectReply =
  | { id: number | string | null; ok: true; seq: number; receivedAt: number; book?: BookOutcome; price?: number }
  | { id: number | string | null; ok: false; error: string; retryable: boolean; status?: number; code?: string };

const SCOPE_FIELDS = ['bot', 'fleet', 'tenant', 'group', 'asset', 'capability', 'run'] as const;

/** Validates a request object; returns an error message (killdrill: …) or null. */
export function requestError(o: Record<string, unknown>): string | null {
  if (typeof o.id !== 'number' && typeof o.id !== 'string') return 'killdrill: request needs an id (number or string)';
  if (typeof o.key !== 'string' || o.key === '') return 'killdrill: request needs a non-empty idempotency key';
  for (const f of SCOPE_FIELDS) if (typeof o[f] !== 'string' || o[f] === '') return `killdrill: request needs a non-empty string '${f}'`;
  if (o.parentRun !== undefined && (typeof o.parentRun !== 'string' || o.parentRun === '')) return "killdrill: parentRun, when sent, must be a non-empty string (the child run's parent run)";
  if (!(EFFECT_KINDS as readonly unknown[]).includes(o.kind)) return `killdrill: request kind must be one of ${EFFECT_KINDS.join(', ')}`;
  if (typeof o.dispatchedAt !== 'number' || !Number.isFinite(o.dispatchedAt)) return 'killdrill: request needs dispatchedAt (epoch ms)';
  if (o.side !== undefined && o.side !== 'buy' && o.side !== 'sell') return "killdrill: side must be 'buy' or 'sell'";
  if (o.qty !== undefined && (typeof o.qty !== 'number' || !Number.isFinite(o.qty) || o.qty < 0)) return 'killdrill: qty must be a non-negative number';
  if (o.orderKey !== undefined && typeof o.orderKey !== 'string') return 'killdrill: orderKey must be a string';
  if (o.type !== undefined && (o.kind !== 'order' || !(ORDER_TYPES as readonly unknown[]).includes(o.type))) return `killdrill: type is for orders only and must be one of ${ORDER_TYPES.join(', ')}`;
  return null;
}

/** The id of a possibly malformed request, for the error reply. */
export function idOf(o: Record<string, unknown> | null): number | string | null {
  return o && (typeof o.id === 'number' || typeof o.id === 'string') ? o.id : null;
}
