// Benchmark of the execution path (not a test): the alphaswarm preset's 1,000 bots over its
// 12 daemons, every class ticking every `--tick` ms, through gateway (check on) to the venue.
// Reports accepted effects/s, dispatch→venue latency p50/p99, and engage (SET+PUBLISH of the
// platform key) → every bot Draining. Usage: node fleet-sim/daemon/exec-path-bench.ts [--bots N] [--tick MS] [--seconds S]
import { parseArgs } from 'node:util';
import { alphaswarm } from '../presets/index.ts';
import { eventsChannel, nowMs, phaseStreamKey } from '../model.ts';
import { startTestFleet } from './test-fleet.ts';

const { values } = parseArgs({ options: { bots: { type: 'string', default: '1000' }, tick: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' } } });
const tickMs = Number(values.tick);
const bots = alphaswarm(Number(values.bots)).bots;
const cls = { tickMs, drainMs: 300 };
const t0 = Date.now();
const t = await startTestFleet(bots, { pollIntervalS: 5, classes: { hft: cls, standard: cls, paper: cls, agent: cls } });
console.log(`started ${bots.length} bots in ${new Set(bots.map((b) => b.daemon)).size} daemons in ${Date.now() - t0} ms`);
const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
try {
  await new Promise((r) => setTimeout(r, 2000)); // warm up
  const before = await t.ledger();
  const w0 = nowMs();
  await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
  const w1 = nowMs();
  const window = (await t.ledger()).slice(before.length).filter((e) => e.receivedAt >= w0 && e.receivedAt < w1);
  const lat = window.map((e) => e.receivedAt - e.dispatchedAt);
  console.log(`accepted ${(window.length / ((w1 - w0) / 1000)).toFixed(0)} effects/s; dispatch→venue p50 ${pct(lat, 50).toFixed(2)} ms p99 ${pct(lat, 99).toFixed(2)} ms max ${Math.max(...lat).toFixed(2)} ms`);
  const key = 'alphaswarm:bots:killswitch:platform:platform';
  const at = nowMs();
  await t.redis.set(key, 'bench');
  await t.redis.publish(eventsChannel('alphaswarm:bots:killswitch'), JSON.stringify({ op: 'engage', key, value: 'bench', at }));
  const draining = new Map<string, number>();
  const deadline = Date.now() + 15_000;
  while (draining.size < bots.length && Date.now() < deadline) {
    for (const [, f] of await t.redis.xrange(phaseStreamKey('alphaswarm:bots:killswitch'), '-', '+')) {
      const m = Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i], f[2 * i + 1]]));
      if (m.phase === 'Draining' && Number(m.at) >= at) draining.set(m.slug, Number(m.at) - at);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const d = [...draining.values()];
  console.log(`engage→Draining: ${d.length}/${bots.length} bots, p50 ${pct(d, 50).toFixed(1)} ms p99 ${pct(d, 99).toFixed(1)} ms max ${Math.max(...d).toFixed(1)} ms`);
} finally {
  await t.close();
}
