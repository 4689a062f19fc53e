// no-partial-orders on literal histories: passes, fails (started after the request, left open,
// no drain, ledger-only), unknown (journal not read, no shutdown, no roster).
import { describe, expect, it } from 'vitest';
import { noPartialOrders } from './no-partial-orders.ts';
import { build, effect, observed, roster } from './history-fixture.ts';

// mm-aapl runs in node-a/market-making-a, sa-msft in node-b/stat-arb-b (ROSTER).
const intent = (bot: string, kind: string, intentAt: number, outcome: string | null = 'landed', key = `${bot}:${kind}:${intentAt}`) => ({ type: 'journal', bot, key, kind, intentAt, outcome, seq: null });
const read = { type: 'journal-read', intents: 0, files: 3 };
const gate = (event: string, at: number, extra: Record<string, unknown> = {}) => ({ type: 'shutdown', event, at, host: 'node-a', daemon: 'market-making-a', pid: 7, bootId: 'b1', ...extra });
const exit = (at: number) => ({ type: 'daemon', host: 'node-a', daemon: 'market-making-a', event: 'exit', pid: 7, code: 0, signal: null, at });
/** SIGTERM at 1000, drained at 1200; intents before it all answered, the drain's cancel after it. */
const clean = () => [roster(), gate('shutdown-requested', 1000, { inFlight: 2 }), exit(1210), intent('mm-aapl', 'order', 500), intent('mm-aapl', 'order', 990, 'rejected'), intent('mm-aapl', 'order', 995, 'failed'), intent('mm-aapl', 'cancel', 1010), gate('drained', 1200, { waitedMs: 200, refused: 3 })];

describe('no-partial-orders', () => {
  it('passes: nothing started after shutdown-requested but the drain\'s cancels, everything in flight ended, drained', () => {
    const v = noPartialOrders(build(clean(), observed(9000), read), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/1 daemon shutdown\(s\) drained.*longest drain 200 ms, 2 in flight/);
    expect(v.details).toMatchObject({ startedAfterRequest: 0, leftOpen: 0, shutdowns: [{ daemon: 'node-a/market-making-a', end: 'drained' }] });
  });

  it('another daemon\'s orders after the request and the next life\'s orders (after drained) are not this shutdown\'s', () => {
    const v = noPartialOrders(build(clean(), intent('sa-msft', 'order', 1050), intent('mm-aapl', 'order', 1500), observed(9000), read), {});
    expect(v.valid).toBe(true);
  });

  it('fails on an order started after shutdown-requested, even one the boundary rejected, and on a retry under an old key', () => {
    const v = noPartialOrders(build(clean(), intent('mm-aapl', 'order', 1100, 'rejected'), { ...intent('mm-aapl', 'action', 800), reintentsAt: [1150] }, observed(9000), read), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ startedAfterRequest: 2, leftOpen: 0 });
    expect(v.summary).toMatch(/2 submission\(s\) started after their daemon's shutdown-requested \(the last 150 ms after it\): node-a\/market-making-a/);
  });

  it('fails on an order the journal missed but the ledger shows dispatched after the request', () => {
    const v = noPartialOrders(build(clean(), effect('mm-aapl', 'order', 1100), observed(9000), read), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ startedAfterRequest: 1, firstAfterRequest: [{ source: 'ledger' }] });
  });

  it('fails on a submission left open at exit (drain-timeout), and says when the ledger has it', () => {
    const ops = [roster(), gate('shutdown-requested', 1000), intent('mm-aapl', 'order', 990, null, 'kx'), effect('mm-aapl', 'order', 990, 995, 'kx'), gate('drain-timeout', 9000, { waitedMs: 8000, abandoned: ['kx'] })];
    const v = noPartialOrders(build(ops, observed(9500), read), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/1 submission\(s\) left open at their daemon's exit, no outcome journaled \(1 of them landed at the venue unbeknownst\)/);
    expect(v.details).toMatchObject({ drainTimeouts: 1 });
  });

  it('fails when a shutdown never journaled drained (the daemon exited without its drain): its life ends at the exit', () => {
    const ops = [roster(), gate('shutdown-requested', 1000), intent('mm-aapl', 'order', 900), intent('mm-aapl', 'order', 1100, null), exit(1250), intent('mm-aapl', 'order', 2000)];
    const v = noPartialOrders(build(ops, observed(9000), read), {});
    expect(v.valid).toBe(false);
    expect(v.details).toMatchObject({ startedAfterRequest: 1, leftOpen: 1, shutdowns: [{ end: 'exit', endAt: 1250 }] });
    expect(v.summary).toMatch(/never journaled drained or drain-timeout \(node-a\/market-making-a\)/);
  });

  // The gateway's own gate (component 'gateway'): SIGTERM at 1000, drained at 1100.
  const gw = (event: string, at: number, extra: Record<string, unknown> = {}) => ({ type: 'shutdown', component: 'gateway', event, at, host: 'gateway', daemon: 'gateway', pid: 9, bootId: 'g1', ...extra });
  it('passes a gateway shutdown: what reached the venue after the request was dispatched before it, drained; no roster needed', () => {
    const ops = [gw('shutdown-requested', 1000, { inFlight: 1 }), effect('mm-aapl', 'order', 990, 1050), effect('mm-aapl', 'order', 1200, 1300), gw('drained', 1100, { waitedMs: 100 })];
    const v = noPartialOrders(build(ops, observed(9000), read), {});
    expect(v.valid).toBe(true);
    expect(v.summary).toMatch(/1 gateway shutdown\(s\) drained/);
  });

  it('fails a gateway that forwarded a submission dispatched after its shutdown-requested (a cancel too: the gateway refuses every new one)', () => {
    const ops = [gw('shutdown-requested', 1000), effect('mm-aapl', 'cancel', 1010, 1020), effect('sa-msft', 'order', 1500, 1510), gw('drain-timeout', 2000, { waitedMs: 1000, abandoned: ['x'] })];
    const v = noPartialOrders(build(ops, observed(9000), read), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/the gateway forwarded 2 submission\(s\) dispatched after its shutdown-requested \(the last 500 ms after it\)/);
    expect(v.details).toMatchObject({ gatewayAccepted: 2, gatewayShutdowns: [{ end: 'drain-timeout' }] });
  });

  it('fails a gateway shutdown that never journaled drained; its life ends at the run\'s end', () => {
    const v = noPartialOrders(build(gw('shutdown-requested', 1000), effect('mm-aapl', 'order', 3000, 3010), observed(9000), read), {});
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/gateway forwarded 1 .*; 1 gateway shutdown\(s\) never journaled drained/);
  });

  it('is unknown when the journal was not read, when no daemon journaled a shutdown, and with no roster', () => {
    expect(noPartialOrders(build(clean(), observed(9000)), {}).valid).toBe('unknown');
    const none = noPartialOrders(build(roster(), intent('mm-aapl', 'order', 500), observed(9000), read), {});
    expect(none.valid).toBe('unknown');
    expect(none.summary).toMatch(/no daemon and no gateway journaled a shutdown-requested/);
    expect(noPartialOrders(build(clean().slice(1), observed(9000), read), {}).valid).toBe('unknown');
  });
});
