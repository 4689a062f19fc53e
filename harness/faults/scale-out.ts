// scale-out (seed 001's HPA adding a pod mid-kill): starts the standby replica `<target>-2` of a bot
// daemon — a new daemon with bots of its own, which the fleet only has when the scenario asks for it
// (`fleet.overrides.scaleOut: [<target>]`). Through the control API (`POST /components/<replica>/start`,
// which loads it into its host's supervisor). Heal scales it in again (`stop`: it stays down). Its
// bots join the broker's GET /bots once they report a phase; the runner reads them as `roster-added`.
import { controlComponent, requireComponent } from './control-api.ts';
import type { Fault } from './types.ts';

const SUFFIX = '-2';

export const scaleOut: Fault = {
  kind: 'scale-out',
  check(p, c) {
    const problem = requireComponent(p, c);
    if (problem) return problem;
    const d = c.find((x) => x.name === p.target)!;
    if (d.kind !== 'daemon') return `'target: ${String(p.target)}' is a ${d.kind}; scale-out needs a bot daemon to add a replica of`;
    // A live fleet lists its replicas (state standby); the preset's planned components do not.
    const live = c.some((x) => x.state !== 'planned');
    if (live && !c.some((x) => x.name === `${String(p.target)}${SUFFIX}`)) return `this fleet has no standby replica of '${String(p.target)}'; add fleet.overrides.scaleOut: [${String(p.target)}]`;
    return null;
  },
  async inject(ctx, p) {
    const replica = `${p.target as string}${SUFFIX}`;
    const detail = await controlComponent(ctx.fleet, replica, 'start');
    return {
      detail: { target: p.target, replica, ...detail },
      heal: () => controlComponent(ctx.fleet, replica, 'stop'),
    };
  },
};
