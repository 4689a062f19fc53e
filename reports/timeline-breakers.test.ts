// The timeline's breaker rows: a row per breaker with each bot's tripped span, trip, reset and error marks; none without records.
import { describe, expect, it } from 'vitest';
import { breakerEvents, breakerRowsHtml } from './timeline-breakers.ts';
import type { Scale } from './timeline-layout.ts';

const scale: Scale = { t0: 0, t1: 10_000, origin: 5000, x: (t) => (t / 10_000) * 1100 };
const rec = (bot: string, breaker: string, event: string, at: number, detail = 'newest AAPL bar 1.20 s old, stale past 1.00 s') => ({ t: at, type: 'breaker', bot, asset: 'AAPL', breaker, event, at, detail, host: 'node-a', daemon: 'd', pid: 1 });

describe('breaker rows', () => {
  it('draws each breaker that left records: spans from trip to reset (or the end), the marks, the errors', () => {
    const history = [{ t: 1, type: 'phase' }, rec('mm-aapl', 'market-data', 'reset', 6000), rec('mm-aapl', 'market-data', 'tripped', 4000), rec('mm2', 'market-data', 'tripped', 4100), rec('sa-msft', 'volatility', 'error', 4500, 'σ cannot be computed')];
    const events = breakerEvents(history);
    expect(events.map((e) => e.at)).toEqual([4000, 4100, 4500, 6000]);
    const html = breakerRowsHtml(events, scale);
    expect(html).toContain('<b>breaker</b> market-data · 2 bot(s) tripped');
    expect(html).toContain('<b>breaker</b> volatility · 0 bot(s) tripped · <b style="color:#e07b00">1 error(s)</b>');
    expect(html.match(/class="breaker-span"/g)).toHaveLength(2);
    expect(html).toContain('<title>mm-aapl (AAPL) tripped −1.000 s → reset +1.000 s</title>');
    expect(html).toContain('<title>mm2 (AAPL) tripped −0.900 s → never reset</title>');
    expect(html.match(/class="breaker-tripped"/g)).toHaveLength(2);
    expect(html.match(/class="breaker-reset"/g)).toHaveLength(1);
    expect(html).toContain('<title>sa-msft (AAPL) volatility error −0.500 s: σ cannot be computed</title>');
  });

  it('is absent without breaker records', () => {
    expect(breakerRowsHtml(breakerEvents([{ t: 1, type: 'shutdown', at: 5 }]), scale)).toBe('');
  });
});
