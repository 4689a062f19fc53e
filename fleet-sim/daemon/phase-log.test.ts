// The daemon's own phase log (contracts §6): every transition of every bot, with the `at` the bot
// stamped, in <dataDir>/phases/<host>.<daemon>.jsonl, the same transitions the phase stream carries.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestFleet, testBot, waitFor } from './test-fleet.ts';
import { eventsChannel, nowMs } from '../model.ts';

const PREFIX = 'alphaswarm:bots:killswitch';
const PLATFORM = `${PREFIX}:platform:platform`;

describe('daemon phase log', () => {
  it('records Running → Draining → Stopped of every bot as the stream does', async () => {
    const bots = [testBot('mm-a', 'hft'), testBot('sa-a', 'standard')];
    const t = await startTestFleet(bots, { pollIntervalS: 0.5, classes: { hft: { tickMs: 20, drainMs: 50 }, standard: { tickMs: 20, drainMs: 50 } } });
    try {
      await waitFor('running', async () => Object.values(await t.phases()).filter((p) => p.phase === 'Running').length === 2);
      await t.redis.set(PLATFORM, 'drill');
      await t.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'engage', key: PLATFORM, value: 'drill', at: nowMs() }));
      await waitFor('stopped', async () => Object.values(await t.phases()).filter((p) => p.phase === 'Stopped').length === 2);
      const { host, daemon } = bots[0];
      const log = readFileSync(join(t.dir, 'phases', `${host}.${daemon}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { slug: string; phase: string; at: number; from: string });
      const stream = (await t.redis.xrange('alphaswarm:bots:phases', '-', '+')).map(([, f]) => ({ slug: f[1], phase: f[3], at: Number(f[5]) }));
      for (const b of bots) {
        expect(log.filter((e) => e.slug === b.slug).map((e) => [e.from, e.phase])).toEqual([['', 'Running'], ['Running', 'Draining'], ['Draining', 'Stopped']]);
        expect(log.filter((e) => e.slug === b.slug).map((e) => e.at)).toEqual(stream.filter((e) => e.slug === b.slug).map((e) => e.at));
      }
    } finally {
      await t.close();
    }
  });
});
