// rogue-bot: a bot daemon's bots ignore their kill state — their load keeps going in every phase
// (they still report the phases they hear) — so the execution boundary alone stands between them
// and the venue (seed 003's defense in depth, drilled one layer at a time). Through the fleet's
// control API (`POST /components/<daemon>/rogue`); heal is `obey`.
import { controlComponent, requireComponent } from './control-api.ts';
import type { Fault } from './types.ts';

export const rogueBot: Fault = {
  kind: 'rogue-bot',
  check(p, c) {
    const problem = requireComponent(p, c);
    if (problem) return problem;
    const d = c.find((x) => x.name === p.target)!;
    return d.kind === 'daemon' ? null : `'target: ${String(p.target)}' is a ${d.kind}; rogue-bot needs a bot daemon (one of ${c.filter((x) => x.kind === 'daemon').map((x) => x.name).join(', ')})`;
  },
  async inject(ctx, p) {
    const target = p.target as string;
    const detail = await controlComponent(ctx.fleet, target, 'rogue');
    return { detail: { target, ...detail }, heal: () => controlComponent(ctx.fleet, target, 'obey') };
  },
};
