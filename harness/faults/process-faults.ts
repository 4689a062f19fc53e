// Process faults: SIGKILL, SIGSTOP/SIGCONT, and the dependency-down faults
// (Redis, operator, broker restart) — all real signals to real processes.
import { controlComponent, requireComponent } from './control-api.ts';
import type { Fault } from './types.ts';

/** process-kill: SIGKILL a component or daemon. Heal starts it again unless its supervisor already did. */
export const processKill: Fault = {
  kind: 'process-kill',
  check: (p, c) => requireComponent(p, c),
  async inject(ctx, p) {
    const target = p.target as string;
    const detail = await controlComponent(ctx.fleet, target, 'kill');
    return {
      detail: { target, ...detail },
      heal: () => controlComponent(ctx.fleet, target, 'start'),
    };
  },
};

/**
 * process-term: the rolling restart of a pod (seed 003's graceful stop, seed 004's "just kill the
 * pods"): SIGTERM to a component or daemon, its supervisor's grace (10 s, then SIGKILL) for it to
 * drain and exit, then it starts again and boots into the current kill state. Nothing to heal.
 */
export const processTerm: Fault = {
  kind: 'process-term',
  check: (p, c) => requireComponent(p, c),
  async inject(ctx, p) {
    const target = p.target as string;
    const detail = await controlComponent(ctx.fleet, target, 'restart');
    return {
      detail: { target, signal: 'SIGTERM', ...detail },
      heal: async () => ({ note: 'nothing to heal: the process was started again right after its SIGTERM exit' }),
    };
  },
};

/** process-pause: SIGSTOP a component; heal is SIGCONT. */
export const processPause: Fault = {
  kind: 'process-pause',
  check: (p, c) => requireComponent(p, c),
  async inject(ctx, p) {
    const target = p.target as string;
    const detail = await controlComponent(ctx.fleet, target, 'pause');
    return { detail: { target, ...detail }, heal: () => controlComponent(ctx.fleet, target, 'resume') };
  },
};

function componentDown(kind: string, component: string): Fault {
  return {
    kind,
    check: (_p, c) => (c.some((x) => x.name === component) ? null : `this fleet has no '${component}' component (it has ${c.map((x) => x.name).join(', ')})`),
    async inject(ctx) {
      const detail = await controlComponent(ctx.fleet, component, 'stop');
      return { detail: { target: component, ...detail }, heal: () => controlComponent(ctx.fleet, component, 'start') };
    },
  };
}

/** redis-down: the server really stops; heal restarts it on the same port. */
export const redisDown = componentDown('redis-down', 'redis');
/** operator-down: the KillSwitch operator stops; heal starts it. */
export const operatorDown = componentDown('operator-down', 'operator');

/** broker-restart: stop and start the broker (its halt state must survive). */
export const brokerRestart: Fault = {
  kind: 'broker-restart',
  check: (_p, c) => (c.some((x) => x.name === 'broker') ? null : 'this fleet has no broker component'),
  async inject(ctx) {
    const detail = await controlComponent(ctx.fleet, 'broker', 'restart');
    return { detail: { target: 'broker', ...detail }, heal: async () => ({ note: 'nothing to heal: the broker was restarted at injection' }) };
  },
};
