// The timeline's gateway row: the gateway's shutdown-requested and drained (or drain-timeout) marks; none without a gateway shutdown.
import { describe, expect, it } from 'vitest';
import { gatewayRowHtml } from './timeline-gateway.ts';
import type { Scale } from './timeline-layout.ts';

const scale: Scale = { t0: 0, t1: 10_000, origin: 5000, x: (t) => (t / 10_000) * 1100 };
const gw = (event: string, at: number, extra: Record<string, unknown> = {}) => ({ component: 'gateway', host: 'gateway', daemon: 'gateway', event, at, pid: 9, ...extra });

describe('gateway row', () => {
  it('marks the gateway\'s shutdown-requested and its drain', () => {
    const html = gatewayRowHtml([gw('shutdown-requested', 6000), gw('drain-timeout', 7000, { waitedMs: 1000, abandoned: ['a', 'b'] })], scale);
    expect(html).toContain('<b>gateway</b> shutdown gate');
    expect(html).toContain('class="daemon-shutdown-requested"');
    expect(html).toContain('<title>gateway pid 9 drain-timeout after 1000 ms, 2 abandoned +2.000 s</title>');
  });
  it('is absent when only daemons shut down', () => {
    expect(gatewayRowHtml([{ host: 'node-a', daemon: 'd1', event: 'drained', at: 1, pid: 1 }], scale)).toBe('');
  });
});
