// A bot daemon's view of the venue's market-data feed (GET /bars), read every bar interval while
// any breaker is on. A read that fails keeps the bars it had (they age: the market-data breaker
// trips on a feed it cannot reach as on one that stalled); an answer that is not bars is an
// evaluation failure the breakers report (`invalid`).
import type { Bar } from '../venue/market-data.ts';

export class MarketFeedClient {
  bars: Record<string, Bar[]> = {};
  /** Why the last answer could not be used as bars (null: it could). */
  invalid: string | null = null;
  failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly url: string;
  private readonly everyMs: number;

  constructor(venueHttp: string, n: number, everyMs: number) {
    this.url = `${venueHttp}/bars?n=${n}`;
    this.everyMs = everyMs;
  }

  start(): void {
    void this.read();
    this.timer = setInterval(() => void this.read(), this.everyMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The first read at boot: again until bars came (a venue still starting, a busy machine), at most `withinMs`. */
  async readFirst(withinMs: number): Promise<boolean> {
    const until = Date.now() + withinMs;
    for (;;) {
      await this.read();
      if (Object.keys(this.bars).length > 0) return true;
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, Math.min(100, this.everyMs)));
    }
  }

  async read(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await fetch(this.url, { signal: AbortSignal.timeout(Math.max(500, this.everyMs * 4)) });
      const body = (await res.json()) as { bars?: unknown };
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const problem = barsProblem(body.bars);
      this.invalid = problem;
      if (!problem) this.bars = body.bars as Record<string, Bar[]>;
    } catch {
      this.failures++;
    } finally {
      this.busy = false;
    }
  }
}

function barsProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'GET /bars answered no bars object';
  for (const [asset, list] of Object.entries(v)) {
    if (!Array.isArray(list)) return `GET /bars: ${asset} is not a list`;
    if (list.some((b) => !b || typeof (b as Bar).t !== 'number' || typeof (b as Bar).close !== 'number')) return `GET /bars: a ${asset} bar lacks t or close`;
  }
  return null;
}
