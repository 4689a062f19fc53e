// killdrill extension (not Toxiproxy): the `redis_channel_drop` toxic. On the downstream
// of a link to a Redis server it parses the RESP stream (RESP2 and RESP3) and drops the
// pub/sub deliveries (`message`, and `pmessage` whose channel matches) of one channel,
// passing every other frame byte for byte, so the connection and the other channels stay
// healthy. Partial frames are held until complete. If the stream is not RESP (first byte
// of a frame is not a RESP type) the filter gives up and passes everything through.

export interface ChannelDropFilter {
  filter(data: Buffer): Buffer;
  /** Number of deliveries dropped so far. */
  readonly dropped: number;
}

const CR = 13;
const LINE_TYPES = new Set('+-:,#_('.split('').map((c) => c.charCodeAt(0)));
const BULK_TYPES = new Set('$!='.split('').map((c) => c.charCodeAt(0)));
const AGGREGATE_TYPES = new Set('*>~'.split('').map((c) => c.charCodeAt(0)));
const PAIR_TYPES = new Set('%|'.split('').map((c) => c.charCodeAt(0)));
const NOT_RESP = -2;
const INCOMPLETE = -1;

interface Scan {
  end: number;
  /** Bulk string payload when the frame is a bulk string. */
  bulk?: Buffer;
  elements?: Buffer[];
}

function lineEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf(CR, from);
  if (i < 0 || i + 1 >= buf.length) return INCOMPLETE;
  return i;
}

/** Scans one frame at `at`; collects the bulk payloads of a top-level aggregate's direct children. */
function scan(buf: Buffer, at: number, collect: boolean): Scan | number {
  if (at >= buf.length) return INCOMPLETE;
  const type = buf[at];
  const eol = lineEnd(buf, at + 1);
  if (eol === INCOMPLETE) return INCOMPLETE;
  const afterLine = eol + 2;
  if (LINE_TYPES.has(type)) return { end: afterLine };
  const n = Number(buf.toString('latin1', at + 1, eol));
  if (!Number.isInteger(n)) return NOT_RESP;
  if (BULK_TYPES.has(type)) {
    if (n < 0) return { end: afterLine };
    const end = afterLine + n + 2;
    if (end > buf.length) return INCOMPLETE;
    return { end, bulk: buf.subarray(afterLine, afterLine + n) };
  }
  if (AGGREGATE_TYPES.has(type) || PAIR_TYPES.has(type)) {
    const count = n < 0 ? 0 : PAIR_TYPES.has(type) ? n * 2 : n;
    let pos = afterLine;
    const elements: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const child = scan(buf, pos, false);
      if (typeof child === 'number') return child;
      if (collect && i < 4) elements.push(child.bulk ?? Buffer.alloc(0));
      pos = child.end;
    }
    return { end: pos, elements: collect ? elements : undefined };
  }
  return NOT_RESP;
}

export function createChannelDropFilter(channel: string): ChannelDropFilter {
  const name = Buffer.from(channel);
  let pending: Buffer = Buffer.alloc(0);
  let passthrough = false;
  let dropped = 0;

  const isDropped = (elements: Buffer[] | undefined): boolean => {
    if (!elements) return false;
    const kind = elements[0]?.toString('latin1');
    if (kind === 'message' && elements.length === 3) return elements[1].equals(name);
    if (kind === 'pmessage' && elements.length === 4) return elements[2].equals(name);
    return false;
  };

  return {
    get dropped() {
      return dropped;
    },
    filter(data: Buffer): Buffer {
      if (passthrough) return data;
      const buf = pending.length > 0 ? Buffer.concat([pending, data]) : data;
      const out: Buffer[] = [];
      let pos = 0;
      let keepFrom = 0;
      for (;;) {
        const frame = scan(buf, pos, true);
        if (frame === INCOMPLETE) break;
        if (frame === NOT_RESP) {
          passthrough = true;
          out.push(buf.subarray(keepFrom));
          pending = Buffer.alloc(0);
          return Buffer.concat(out);
        }
        const f = frame as Scan;
        if (isDropped(f.elements)) {
          if (pos > keepFrom) out.push(buf.subarray(keepFrom, pos));
          keepFrom = f.end;
          dropped++;
        }
        pos = f.end;
      }
      if (pos > keepFrom) out.push(buf.subarray(keepFrom, pos));
      pending = Buffer.from(buf.subarray(pos));
      return out.length === 1 ? out[0] : Buffer.concat(out);
    },
  };
}
