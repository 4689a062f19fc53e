// k6's `--out json` lines → one load op per second (docs/load.md). Requests are counted in the
// second they were sent (the sample's time less its http_req_duration): the offered load, which a
// slow system does not bunch up. Pure: the runner feeds it lines and the clock (run-k6.ts).
import { spread } from '../checkers/stats.ts';

export interface LoadSecondOp {
  type: 'load';
  /** The second's start (ms, on the harness clock: k6 stamps with the wall clock of this machine). */
  at: number;
  /** 1000, or less for the last second when k6 stopped inside it. */
  spanMs: number;
  requests: number;
  requestsPerS: number;
  errors: number;
  errorsPerS: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Iterations k6 could not start (no free VU): load declared but never offered. */
  dropped: number;
}

interface Bucket {
  durations: number[];
  errors: number;
  dropped: number;
}

export interface K6Seconds {
  /** Feed one line of k6's json output. */
  line(text: string): void;
  /** The seconds complete by `now` (a sample may land up to `lateMs` after its second), in order, each once. */
  flush(now: number): LoadSecondOp[];
  /** Every second left, the last one cut at `stoppedAt` (k6 exited or was stopped). */
  end(stoppedAt: number): LoadSecondOp[];
  /** When the first request was sent (k6's executor started), or null. */
  firstAt(): number | null;
  /** Lines that were not k6 json (counted, never thrown). */
  unreadable(): number;
  /** Samples that came after their second was emitted (not in any op). */
  late(): number;
}

export function k6Seconds(lateMs = 1500): K6Seconds {
  const buckets = new Map<number, Bucket>();
  let next: number | null = null; // the next second to emit
  let first: number | null = null;
  let bad = 0;
  /** The last request's sample time → when it was sent (its http_req_failed comes after its duration). */
  let lastTime = '';
  let lastSent = 0;
  let emitted = false;
  let late = 0;
  const bucket = (sec: number): Bucket => {
    if (emitted && next !== null && sec < next) {
      late++; // its second was emitted already: counted apart, never emitted twice
      return { durations: [], errors: 0, dropped: 0 };
    }
    let b = buckets.get(sec);
    if (!b) buckets.set(sec, (b = { durations: [], errors: 0, dropped: 0 }));
    if (next === null || sec < next) next = sec;
    return b;
  };
  const op = (sec: number, spanMs: number): LoadSecondOp => {
    const b = buckets.get(sec) ?? { durations: [], errors: 0, dropped: 0 };
    buckets.delete(sec);
    const per = (n: number) => Math.round((n * 100_000) / spanMs) / 100;
    const s = spread(b.durations);
    const ms = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    emitted = true;
    return { type: 'load', at: sec, spanMs, requests: b.durations.length, requestsPerS: per(b.durations.length), errors: b.errors, errorsPerS: per(b.errors), p50Ms: ms(s.p50), p99Ms: ms(s.p99), dropped: b.dropped };
  };
  const upTo = (endSec: number, stoppedAt: number | null): LoadSecondOp[] => {
    const out: LoadSecondOp[] = [];
    if (next === null) return out;
    for (; next <= endSec; next += 1000) {
      const span = stoppedAt === null ? 1000 : Math.max(0, Math.min(1000, Math.round(stoppedAt - next)));
      if (span > 0) out.push(op(next, span));
    }
    return out;
  };
  return {
    line(text) {
      if (!text.trim()) return;
      let o: { type?: string; metric?: string; data?: { time?: string; value?: number } };
      try {
        o = JSON.parse(text);
      } catch {
        bad++;
        return;
      }
      if (o.type !== 'Point' || !o.data?.time) return;
      const m = o.metric;
      if (m !== 'http_req_duration' && m !== 'http_req_failed' && m !== 'dropped_iterations') return;
      const at = Date.parse(o.data.time);
      const v = Number(o.data.value ?? 0);
      if (!Number.isFinite(at)) {
        bad++;
        return;
      }
      if (m === 'dropped_iterations') {
        bucket(Math.floor(at / 1000) * 1000).dropped += v;
        return;
      }
      if (m === 'http_req_duration') {
        lastTime = o.data.time;
        lastSent = at - v;
        if (first === null || lastSent < first) first = lastSent;
        bucket(Math.floor(lastSent / 1000) * 1000).durations.push(v);
        return;
      }
      const sent = o.data.time === lastTime ? lastSent : at;
      if (v > 0) bucket(Math.floor(sent / 1000) * 1000).errors++;
    },
    flush: (now) => upTo(Math.floor((now - lateMs - 1000) / 1000) * 1000, null),
    end(stoppedAt) {
      const last = Math.max(next ?? 0, ...buckets.keys());
      return upTo(Math.min(last, Math.floor(stoppedAt / 1000) * 1000), stoppedAt);
    },
    firstAt: () => first,
    unreadable: () => bad,
    late: () => late,
  };
}
