// Every fault of the catalog injected into a running fleet through the harness (`killdrill run`,
// real processes, real sockets): each changes what the history shows, and heals (a `fault-healed`
// op per fault). redis-down and the pub/sub drops are proven by their incident scenarios
// (test/faults-scenarios.test.ts); this run covers the others, one after another.
import { describe, expect, it } from 'vitest';
import { killdrill, readOps, runDirs, scenarioFile, type Op } from './faults-helpers.ts';

const YAML = `name: faults-catalog
description: The catalog's faults one after another, each healed, then a REST kill under a channel drop.
seed: 1
fleet:
  preset: alphaswarm
  bots: 8
  overrides: { pollIntervalS: 1, gatewayCheck: true }
load: { warmup: 2s, duration: 60s }
faults:
  - { id: kill, at: 1s, kind: process-kill, params: { target: market-making-a }, heal: 3s }
  - { id: pause, at: 2s, kind: process-pause, params: { target: paper-a }, heal: 3s }
  - { id: latency, at: 5s, kind: link-latency, params: { link: bots-gateway.node-b, latencyMs: 150 }, heal: 3s }
  - { id: broker, at: 8s, kind: broker-restart }
  - { id: operator, at: 8s, kind: operator-down, heal: 2s }
  - { id: linkdown, at: 11s, kind: link-down, params: { link: bots-redis-poll.node-a }, heal: 3s }
  - { id: partition, at: 16s, kind: partition, params: { host: node-b }, heal: 3s }
  - { id: channel, at: 21s, kind: pubsub-drop, params: { form: channel } }
kill: { at: 22s, path: rest, scope: platform, target: platform, mode: cancel }
release: { after: 4s }
expect:
  time-to-draining: { budgetS: 2 }
  time-to-stop: { budgetS: { hft: 8, standard: 8, paper: 8, agent: 8 } }
`;

const num = (v: unknown) => v as number;

describe('fault catalog against a running fleet', () => {
  it('each fault changes the history and is healed', { timeout: 240_000 }, async () => {
    const { file, outDir } = scenarioFile('faults-catalog', YAML);
    const run = killdrill(['run', file, '--out', outDir]);
    const code = await run.code;
    const [dir] = runDirs(outDir);
    const ops = readOps(dir);
    expect(run.out(), run.err()).toMatch(/^PASS faults-catalog/m);
    expect(code).toBe(0);

    const injected = new Map(ops.filter((o) => o.type === 'fault-injected').map((o) => [o.id as string, o]));
    const healed = new Map(ops.filter((o) => o.type === 'fault-healed').map((o) => [o.id as string, o]));
    const ids = ['kill', 'pause', 'latency', 'broker', 'operator', 'linkdown', 'partition', 'channel'];
    expect([...injected.keys()].sort()).toEqual([...ids].sort());
    expect([...healed.keys()].sort()).toEqual([...ids].sort());
    for (const h of healed.values()) expect(h.ok, JSON.stringify(h)).not.toBe(false);
    const at = (id: string) => num(injected.get(id)!.at);
    // When the heal was issued: `heal: Ns` after the injection returned, so at least at + N (fault-healed.at is
    // when the heal returned, by which time the fleet may already have recovered).
    const HEAL_MS: Record<string, number> = { kill: 3000, pause: 3000, latency: 3000, operator: 2000, linkdown: 3000, partition: 3000 };
    const healAt = (id: string) => at(id) + HEAL_MS[id];
    const roster = (ops.find((o) => o.type === 'roster')!.bots as Array<{ slug: string; host: string; daemon: string }>);
    const botsOf = (pred: (b: { host: string; daemon: string }) => boolean) => new Set(roster.filter(pred).map((b) => b.slug));
    const effects = ops.filter((o) => o.type === 'effect');
    const phases = ops.filter((o) => o.type === 'phase');
    const daemons = ops.filter((o) => o.type === 'daemon');

    // process-kill: a SIGKILLed exit of the daemon, then a KeepAlive start of a new pid.
    const exit = daemons.find((d) => d.daemon === 'market-making-a' && d.event === 'exit' && num(d.at) >= at('kill') - 50);
    expect(exit?.signal).toBe('SIGKILL');
    const restart = daemons.find((d) => d.daemon === 'market-making-a' && d.event === 'start' && num(d.at) > num(exit!.at));
    expect(restart, 'KeepAlive start after the kill').toBeTruthy();
    expect(restart!.pid).not.toBe(exit!.pid);
    expect(num(restart!.at)).toBeLessThan(healAt('kill')); // the supervisor restarted it, not the heal

    // process-pause: no effect from that daemon's bots while it was stopped; effects before and after.
    const paused = botsOf((b) => b.daemon === 'paper-a');
    const from = (set: Set<string>, a: number, b: number) => effects.filter((e) => set.has(e.bot as string) && num(e.receivedAt) > a && num(e.receivedAt) < b);
    expect(from(paused, at('pause') + 300, healAt('pause'))).toEqual([]);
    expect(from(paused, 0, at('pause')).length).toBeGreaterThan(0);
    expect(from(paused, healAt('pause'), at('linkdown')).length).toBeGreaterThan(0);

    // link-latency: node-b's effects take ≥ 150 ms from dispatch to the venue while it is on, far less before.
    const nodeB = botsOf((b) => b.host === 'node-b');
    const lag = (es: Op[]) => es.map((e) => num(e.receivedAt) - num(e.dispatchedAt)).sort((x, y) => x - y);
    const during = lag(from(nodeB, at('latency') + 400, healAt('latency')));
    const before = lag(from(nodeB, 0, at('latency')));
    expect(during.length).toBeGreaterThan(2);
    expect(during[0]).toBeGreaterThanOrEqual(145);
    expect(before[Math.floor(before.length / 2)]).toBeLessThan(100);

    // broker-restart: /status reports a new bootId afterwards.
    const boots = ops.filter((o) => o.type === 'status' && o.ok === true).map((o) => ({ bootId: o.bootId as string, at: num(o.at) }));
    const bootBefore = boots.filter((b) => b.at < at('broker')).pop()!.bootId;
    expect(boots.some((b) => b.at > at('broker') && b.bootId !== bootBefore)).toBe(true);

    // operator-down: the operator exits and stays down (KeepAlive or not) until the heal starts it.
    const opExit = daemons.find((d) => d.daemon === 'operator' && d.event === 'exit' && num(d.at) >= at('operator') - 50);
    expect(opExit).toBeTruthy();
    const opStart = daemons.find((d) => d.daemon === 'operator' && d.event === 'start' && num(d.at) > num(opExit!.at));
    expect(num(opStart!.at)).toBeGreaterThanOrEqual(healAt('operator'));

    // link-down (node-a's poller link) and partition (node-b): that host's bots fail closed, the other's do not;
    // after the heal they run again.
    const nodeA = botsOf((b) => b.host === 'node-a');
    const failClosed = (set: Set<string>, a: number, b: number) =>
      new Set(phases.filter((p) => set.has(p.slug as string) && p.phase === 'Draining' && String(p.reason).startsWith('fail-closed') && num(p.at) > a && num(p.at) < b).map((p) => p.slug));
    const runningAgain = (set: Set<string>, a: number, b: number) => new Set(phases.filter((p) => set.has(p.slug as string) && p.phase === 'Running' && num(p.at) > a && num(p.at) < b).map((p) => p.slug));
    expect(failClosed(nodeA, at('linkdown'), healAt('linkdown'))).toEqual(nodeA);
    expect(failClosed(nodeB, at('linkdown'), healAt('linkdown')).size).toBe(0);
    expect(runningAgain(nodeA, healAt('linkdown'), at('partition'))).toEqual(nodeA);
    expect(failClosed(nodeB, at('partition'), healAt('partition'))).toEqual(nodeB);
    expect(failClosed(nodeA, at('partition'), healAt('partition')).size).toBe(0);
    expect(runningAgain(nodeB, healAt('partition'), at('channel'))).toEqual(nodeB);

    // pubsub-drop (channel): the subscriber links stay healthy (no bot fails closed), the REST fan-out's
    // announcement is dropped, and polling halts every bot within its interval (time-to-draining 2 s passed).
    expect(failClosed(new Set(roster.map((b) => b.slug)), at('channel'), num(healed.get('channel')!.at)).size).toBe(0);
    const verdicts = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(`${dir}/result.json`, 'utf8'))).verdicts as Array<{ checker: string; valid: unknown }>;
    expect(verdicts.find((v) => v.checker === 'time-to-draining')?.valid).toBe(true);
  });
});
