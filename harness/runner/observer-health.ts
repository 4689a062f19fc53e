// One observer's failures as `observer-failed` ops (docs/contracts.md §9): an episode starts at the
// first failed read and ends at the next good one (recovered: true — the cursor-based sources resume
// where they stopped, so nothing was lost), or when the observers stop while it is still failing
// (recovered: false — what happened from `from` on was never read; the checkers that need the source
// are then unknown, harness/checkers/needs.ts).
import { nowMs } from '../../contracts/index.ts';
import type { ObserverSource } from '../checkers/needs.ts';
import type { Emit } from './emit.ts';

export interface ObserverHealth {
  readonly source: ObserverSource;
  /** A read failed. */
  failed(err: unknown): void;
  /** A read succeeded. */
  ok(): void;
  /** The observers stopped at `at`: an episode still open is recorded as unrecovered. */
  close(at: number): void;
}

export function observerHealth(source: ObserverSource, emit: Emit, clock: () => number = nowMs): ObserverHealth {
  let open: { from: number; error: string; failures: number } | null = null;
  let closed = false;
  const end = (to: number, recovered: boolean) => {
    if (!open) return;
    emit({ type: 'observer-failed', source, error: open.error, from: open.from, to, recovered, failures: open.failures });
    open = null;
  };
  return {
    source,
    failed(err) {
      if (closed) return;
      const error = err instanceof Error ? err.message : String(err);
      if (open) {
        open.error = error;
        open.failures++;
      } else open = { from: clock(), error, failures: 1 };
    },
    ok() {
      if (!closed) end(clock(), true);
    },
    close(at) {
      if (closed) return;
      end(at, false);
      closed = true;
    },
  };
}
