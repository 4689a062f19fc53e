// The one clock every fleet and harness process stamps its history with: epoch milliseconds with
// sub-millisecond resolution that agree across processes on one machine (and its containers), so a
// daemon's `dispatchedAt`, the venue's `receivedAt` and the harness's `engagedAt` can be compared.
//
// Why not `performance.timeOrigin + performance.now()`: Node takes timeOrigin from the wall clock
// once at start-up, in a separate read from the monotonic clock that performance.now() counts from.
// A process started on a loaded machine can be descheduled between the two reads, and then its
// clock is off by that long for its whole life. Seen in CI: one bot daemon 8 ms ahead of the venue,
// so its effects "landed" 6 ms before they were dispatched, which could also move an effect across
// the flip in post-flip-effects. (bench/clock.ts measures it.)
//
// Here: performance.now() (CLOCK_MONOTONIC underneath, one counter for the whole kernel) plus an
// offset to the epoch, found at load by watching Date.now() tick over to the next millisecond (that
// instant is exactly that millisecond on the wall clock) and reading performance.now() at once. A
// late read only makes a sample smaller, so the largest of several samples is kept. Processes then
// agree to about a µs. (performance.now(), not process.hrtime.bigint(): no BigInt per call.)
// Limit: a wall-clock step (not slew) during a run is seen only by processes started after it.

const monoNow = (): number => performance.now();

/**
 * Epoch ms − monoMs(), from `samples` millisecond edges of `wallMs`. Exported for its unit test (which
 * feeds it fake clocks); everyone else uses nowMs().
 */
export function calibrateEpochOffset(wallMs: () => number = Date.now, monoMs: () => number = monoNow, samples = 5): number {
  let best = Number.NEGATIVE_INFINITY;
  let taken = 0;
  for (let attempt = 0; attempt < samples * 4 && taken < samples; attempt++) {
    const prev = wallMs();
    let wall = prev;
    const start = monoMs();
    let mono = start;
    // Spin to the next tick (≤ 1 ms); bounded so a frozen wall clock cannot hang the process.
    while (wall === prev && mono - start < 5) {
      wall = wallMs();
      mono = monoMs();
    }
    // A jump of more than one ms means we were descheduled across the edge: the sample is late.
    if (wall !== prev + 1) continue;
    best = Math.max(best, wall - mono);
    taken++;
  }
  // Nothing clean (wall clock frozen or always jumping): the plain difference, within 1 ms.
  return taken > 0 ? best : wallMs() + 0.5 - monoMs();
}

const EPOCH_OFFSET_MS = calibrateEpochOffset();

/** High-resolution epoch milliseconds, one clock for every process on the machine. */
export function nowMs(): number {
  return performance.now() + EPOCH_OFFSET_MS;
}

/**
 * REALTIME − CLOCK_MONOTONIC as `clock` (by default this process's nowMs()) implies it: the same in
 * every process when their clocks agree. The median of reads taken between two process.hrtime() reads
 * < 20 µs apart (for bench/clock.ts and the clock test; it allocates).
 */
export function impliedRealtimeOffsetMs(reads = 101, clock: () => number = nowMs): number {
  const got: number[] = [];
  for (let i = 0; got.length < reads && i < reads * 20; i++) {
    const h1 = Number(process.hrtime.bigint()) / 1e6;
    const n = clock();
    const h2 = Number(process.hrtime.bigint()) / 1e6;
    if (h2 - h1 < 0.02) got.push(n - (h1 + h2) / 2);
  }
  got.sort((a, b) => a - b);
  return got[got.length >> 1];
}
