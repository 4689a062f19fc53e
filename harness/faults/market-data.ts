// market-data-gap and price-shock (seed 003's per-strategy circuit breakers): the venue's market-data
// feed (GET /bars) stops new bars for some assets, or their volatility is multiplied by the fleet's
// market.shockFactor, or their fills are priced against the bots (adverse-fills), until the heal.
// Through the fleet's control API on component `venue` (docs/contracts.md §8): `gap` / `feed`,
// `shock` / `calm` and `adverse` / `fair`, `?assets=A,B` (absent: every asset). The bots trading
// those assets should trip their 'market-data' or 'volatility' breaker and go flat, or have their
// orders refused by the gateway's 'consecutive-losses' breaker (checker breaker-tripped). Process
// runtime: on docker the control API answers 409.
import { controlComponent, type ControlAction } from './control-api.ts';
import type { ComponentInfo, Fault, FaultRoster } from './types.ts';

const ASSET = /^[A-Za-z0-9_.-]{1,40}$/;

/** The fault's assets, or null for every asset (params.assets absent). */
export function faultAssets(params: Record<string, unknown>): string[] | null {
  return Array.isArray(params.assets) ? params.assets.map(String) : null;
}

function checkFeedFault(kind: string, params: Record<string, unknown>, components: ComponentInfo[], roster?: FaultRoster): string | null {
  if (!components.some((c) => c.name === 'venue')) return `this fleet has no 'venue' component, so there is no market-data feed to ${kind === 'price-shock' ? 'shock' : kind === 'adverse-fills' ? 'price fills from' : 'gap'} (it has ${components.map((c) => c.name).join(', ') || 'none'}); ${kind} needs a simulated fleet`;
  const raw = params.assets;
  if (raw === undefined) return null;
  if (!Array.isArray(raw) || !raw.length || raw.some((a) => typeof a !== 'string' || !ASSET.test(a))) return `'assets' must be a list of asset names such as [AAPL, DOGE-USD]; leave it out for every asset`;
  if (!roster?.length) return null; // at load time the roster is not known yet: the runner checks again against GET /bots
  const traded = [...new Set(roster.map((b) => b.asset).filter((a): a is string => !!a))].sort();
  const unknownAssets = (raw as string[]).filter((a) => !traded.includes(a));
  if (unknownAssets.length) return `'assets: [${unknownAssets.join(', ')}]': no bot of this fleet trades ${unknownAssets.length > 1 ? 'them' : 'it'}; name assets its bots trade (${traded.join(', ') || 'none'}), or leave 'assets' out for every asset`;
  return null;
}

function feedFault(kind: string, on: ControlAction, off: ControlAction): Fault {
  return {
    kind,
    check: (p, c, _keyPrefix, roster) => checkFeedFault(kind, p, c, roster),
    async inject(ctx, p) {
      const assets = faultAssets(p);
      const query = assets ? { assets: assets.join(',') } : undefined;
      const detail = await controlComponent(ctx.fleet, 'venue', on, query);
      return { detail: { target: 'venue', assets: assets ?? '*', ...detail }, heal: () => controlComponent(ctx.fleet, 'venue', off, query) };
    },
  };
}

/** No new bar of the assets until the heal: their bots' 'market-data' breaker trips once the newest bar is older than breakers.marketDataStaleMs. */
export const marketDataGap = feedFault('market-data-gap', 'gap', 'feed');
/** The assets' per-bar volatility × market.shockFactor until the heal: their bots' 'volatility' breaker trips once σrecent/σbaseline passes breakers.volRatioThreshold. */
export const priceShock = feedFault('price-shock', 'shock', 'calm');
/** The assets' fills market.adverseSlip off the last close, against the bot, until the heal: every round trip loses, and the gateway's 'consecutive-losses' breaker trips after breakers.maxConsecutiveLosses. */
export const adverseFills = feedFault('adverse-fills', 'adverse', 'fair');
