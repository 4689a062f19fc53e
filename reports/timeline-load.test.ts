// The timeline's load lane: one bar a second (requests/s), errors/s stacked in red, the figures in each tooltip; none without load.
import { describe, expect, it } from 'vitest';
import { loadRowHtml, loadSeconds } from './timeline-load.ts';
import type { Scale } from './timeline-layout.ts';

const scale: Scale = { t0: 0, t1: 10_000, origin: 5000, x: (t) => (t / 10_000) * 1100 };
const sec = (at: number, requestsPerS: number, errorsPerS = 0) => ({ type: 'load', at, spanMs: 1000, requests: requestsPerS, requestsPerS, errors: errorsPerS, errorsPerS, p50Ms: 2, p99Ms: 40, dropped: 0 });

describe('load lane', () => {
  it('draws each second of k6 load around the lever, errors on top', () => {
    const html = loadRowHtml(loadSeconds([{ type: 'phase' }, sec(5000, 50, 3), sec(4000, 50)]), scale, 'broker-ui');
    expect(html).toContain('<b>load</b> k6 broker-ui · peak 53/s');
    expect(html.match(/class="load-rps"/g)).toHaveLength(2);
    expect(html.match(/class="load-err"/g)).toHaveLength(1);
    expect(html).toContain('<title>−1.000 s: 50 requests/s, 0 errors/s, p50 2 ms, p99 40 ms</title>');
    expect(html).toContain('+0.000 s: 50 requests/s, 3 errors/s');
  });

  it('is absent when the run had no k6 load', () => {
    expect(loadRowHtml(loadSeconds([{ type: 'phase' }]), scale, null)).toBe('');
  });
});
