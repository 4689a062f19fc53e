// k6's load as the reports see it: the history's `load` ops (docs/contracts.md §9), one a second.

export interface LoadSecond {
  at: number;
  spanMs: number;
  requestsPerS: number;
  errorsPerS: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export function loadSeconds(history: Array<{ type: string }>): LoadSecond[] {
  return history.filter((o) => o.type === 'load').map((o) => o as unknown as LoadSecond).sort((a, b) => a.at - b.at);
}
