// market-data-gap and price-shock: their checks (no venue, bad assets, an asset no bot of the roster
// trades) and what they send the control API (a stand-in: the venue's gap/feed, shock/calm with ?assets=).
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { marketDataGap, priceShock } from './market-data.ts';
import { faultByKind } from './catalog.ts';
import { ALPHASWARM_COMPONENTS } from './alphaswarm-components.fixture.ts';

const c = ALPHASWARM_COMPONENTS;
const ROSTER = [{ slug: 'mm-aapl', asset: 'AAPL', class: 'hft' }, { slug: 'sa-msft', asset: 'MSFT', class: 'standard' }];

describe('market-data-gap / price-shock check', () => {
  it('are in the catalog and take every asset (no assets) or a list of assets', () => {
    expect(faultByKind('market-data-gap')).toBe(marketDataGap);
    expect(faultByKind('price-shock')).toBe(priceShock);
    expect(marketDataGap.check({}, c, '')).toBeNull();
    expect(priceShock.check({ assets: ['AAPL', 'DOGE-USD'] }, c, '')).toBeNull();
    expect(marketDataGap.check({ assets: ['AAPL'] }, c, '', ROSTER)).toBeNull();
  });

  it('refuses a fleet without a venue, a malformed assets list, and (with the roster) an asset no bot trades', () => {
    expect(marketDataGap.check({}, c.filter((x) => x.name !== 'venue'), '')).toMatch(/^this fleet has no 'venue' component, so there is no market-data feed to gap \(it has redis, proxy, /);
    expect(priceShock.check({ assets: [] }, c, '')).toMatch(/^'assets' must be a list of asset names such as \[AAPL, DOGE-USD\]; leave it out for every asset/);
    expect(priceShock.check({ assets: 'AAPL' }, c, '')).toMatch(/'assets' must be a list/);
    expect(priceShock.check({ assets: ['A,B'] }, c, '')).toMatch(/'assets' must be a list/);
    expect(marketDataGap.check({ assets: ['AAPL', 'TSLA'] }, c, '', ROSTER)).toBe("'assets: [TSLA]': no bot of this fleet trades it; name assets its bots trade (AAPL, MSFT), or leave 'assets' out for every asset");
  });
});

describe('market-data-gap / price-shock inject and heal', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));
  const standIn = async () => {
    const calls: string[] = [];
    server = createServer((req, res) => {
      calls.push(`${req.method} ${decodeURIComponent(req.url ?? '')} ${req.headers.authorization ?? ''}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, pid: 42, feed: { gap: ['AAPL'], shock: [] } }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const fleet = { redisUrl: 'redis://x', hosts: {}, token: 't', controlUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
    return { calls, ctx: { fleet, components: c, keyPrefix: 'p' } };
  };

  it('gaps the named assets on the venue and feeds them again on heal', async () => {
    const { calls, ctx } = await standIn();
    const active = await marketDataGap.inject(ctx, { assets: ['AAPL', 'MSFT'] });
    expect(active.detail).toMatchObject({ target: 'venue', assets: ['AAPL', 'MSFT'], ok: true, pid: 42 });
    await active.heal();
    expect(calls).toEqual(['POST /components/venue/gap?assets=AAPL,MSFT Bearer t', 'POST /components/venue/feed?assets=AAPL,MSFT Bearer t']);
  });

  it('shocks every asset without a query when no assets are named, and calms them on heal', async () => {
    const { calls, ctx } = await standIn();
    const active = await priceShock.inject(ctx, {});
    expect(active.detail).toMatchObject({ target: 'venue', assets: '*' });
    await active.heal();
    expect(calls).toEqual(['POST /components/venue/shock Bearer t', 'POST /components/venue/calm Bearer t']);
  });
});
