// Literal histories for checker tests: small builders over the §9 op shapes.
import { History, type Op } from '../history/index.ts';

export const ROSTER = [
  { slug: 'mm-aapl', host: 'node-a', daemon: 'market-making-a', fleet: 'market-making', tenant: 'tenant-a', group: 'bots', class: 'hft', asset: 'AAPL', tags: ['trading'] },
  { slug: 'sa-msft', host: 'node-b', daemon: 'stat-arb-b', fleet: 'stat-arb', tenant: 'tenant-b', group: 'quant-agents', class: 'standard', asset: 'MSFT', tags: ['trading'] },
  { slug: 'agent-aapl', host: 'node-a', daemon: 'agents-a', fleet: 'agents', tenant: 'tenant-a', group: 'agents', class: 'agent', asset: 'AAPL', tags: ['agents'] },
];
export const SLUGS = ROSTER.map((b) => b.slug);

type O = Record<string, unknown> & { type: string };

/** t = record order (1, 2, 3 …), as the recorder would stamp them. */
type Nested = O | Nested[];
export function build(...groups: Nested[]): History {
  return new History((groups.flat(8) as O[]).map((o, i) => ({ t: i + 1, ...o }) as unknown as Op));
}

export const roster = (bots: unknown[] = ROSTER): O => ({ type: 'roster', bots });

export function lever(lever: 'kill' | 'release', issuedAt: number, engagedAt: number | null, extra: Record<string, unknown> = {}): O[] {
  const ops: O[] = [{ type: 'lever-issued', lever, path: 'rest', scope: 'platform', target: 'platform', mode: 'cancel', at: issuedAt, ...extra }];
  if (engagedAt !== null) ops.push({ type: 'lever-ack', lever, ok: true, detail: {}, at: engagedAt }, { type: 'lever-engaged', lever, at: engagedAt });
  return ops;
}
export const kill = (issuedAt = 1000, engagedAt: number | null = 1100, extra: Record<string, unknown> = {}) => lever('kill', issuedAt, engagedAt, extra);
export const release = (issuedAt: number, engagedAt: number | null = issuedAt + 50) => lever('release', issuedAt, engagedAt);

export const phase = (slug: string, phase: string, at: number): O => ({ type: 'phase', slug, phase, at, from: null, reason: null, host: 'h', daemon: 'd' });
export const allPhase = (p: string, at: number, slugs = SLUGS): O[] => slugs.map((s) => phase(s, p, at));

let seq = 0;
export const effect = (bot: string, kind: string, dispatchedAt: number, receivedAt = dispatchedAt + 5, key = `k${++seq}`): O => ({
  type: 'effect', seq: ++seq, key, bot, kind, dispatchedAt, receivedAt,
});
export const observed = (at: number): O => ({ type: 'observers-stopped', at });
