// The consecutive-losses breaker as real processes (seed 003): a bot daemon between the real
// redis-server, gateway and venue. Under adverse fills on AAPL the venue prices every AAPL fill 1 %
// off the last close against the bot; the AAPL bot's losing closes trip the gateway's breaker, which
// journals it and refuses the bot's orders for the cooldown; a gateway restarted mid-trip still
// refuses them (it learned the streak from the ledger).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowMs } from '../model.ts';
import { startTestFleet, testBot, waitFor, type TestFleet } from '../daemon/test-fleet.ts';
import { writeFeedFaults } from '../venue/market-data.ts';

const bots = [testBot('sa-1', 'standard', { asset: 'AAPL' }), testBot('sa-2', 'standard', { asset: 'SPY' })];
let t: TestFleet;
const COOLDOWN_MS = 4000;

type Line = { type: string; bot: string; breaker?: string; event?: string; at: number; host?: string };
const trips = (since: number) => (t.journal() as unknown as Line[]).filter((l) => l.type === 'breaker' && l.breaker === 'consecutive-losses' && l.event === 'tripped' && l.at >= since);

beforeAll(async () => {
  t = await startTestFleet(bots, { pollIntervalS: 1, market: { barMs: 100 }, breakers: { maxConsecutiveLosses: 3, lossCooldownS: COOLDOWN_MS / 1000 }, classes: { standard: { tickMs: 50 } } });
}, 60_000);
afterAll(async () => t?.close());

describe('consecutive-losses breaker, live', () => {
  it('prices fills; adverse AAPL fills trip the AAPL bot at the gateway, which refuses its orders, also after a restart', async () => {
    await waitFor('fills to build up', async () => ((await t.ledger()).filter((e) => e.book === 'fill').length > 20 ? true : null));
    const fair = (await t.ledger()).filter((e) => e.book === 'fill');
    expect(fair.every((e) => typeof e.price === 'number' && (e.price as number) > 50 && (e.price as number) < 200)).toBe(true);

    const venuePid = t.procs.get('venue')!.child.pid!;
    writeFeedFaults(t.dir, { gap: [], shock: [], adverse: ['AAPL'] });
    process.kill(venuePid, 'SIGUSR2');
    const from = nowMs();
    const [trip] = await waitFor('sa-1 tripped', async () => {
      const l = trips(from).filter((x) => x.bot === 'sa-1');
      return l.length ? l : null;
    });
    expect(trip.host).toBe('gateway');
    // Under the fault a buy of AAPL pays more than a sell gets at about the same time: the 1 % each way.
    const aapl = (await t.ledger()).filter((e) => e.bot === 'sa-1' && e.book === 'fill' && e.receivedAt > from + 300);
    const buys = aapl.filter((e) => e.side === 'buy').map((e) => e.price as number);
    const sells = aapl.filter((e) => e.side === 'sell').map((e) => e.price as number);
    if (buys.length && sells.length) expect(Math.min(...buys)).toBeGreaterThan(Math.max(...sells));

    // The gateway restarts mid-trip: it reads the ledger back and goes on refusing sa-1's orders.
    const gw = t.procs.get('gateway')!;
    gw.child.kill('SIGKILL');
    await gw.exited;
    await t.startGateway();
    await new Promise((r) => setTimeout(r, Math.max(0, trip.at + COOLDOWN_MS - 500 - nowMs())));
    const landed = (await t.ledger()).filter((e) => e.bot === 'sa-1' && e.kind === 'order' && e.receivedAt > trip.at + 300 && e.receivedAt < trip.at + COOLDOWN_MS);
    expect(landed.map((e) => e.key)).toEqual([]);
    // The SPY bot kept trading through it.
    expect((await t.ledger()).filter((e) => e.bot === 'sa-2' && e.kind === 'order' && e.receivedAt > trip.at).length).toBeGreaterThan(3);
  }, 60_000);
});
