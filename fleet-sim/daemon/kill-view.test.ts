// The daemon's kill view (pure state): strictest mode, pub/sub vs an older poll, fail closed,
// and how the fail-open, pubsub-only and cached-at-boot bugs change its answer.
import { describe, expect, it } from 'vitest';
import { keysForBot, type Bug } from '../model.ts';
import { KillView } from './kill-view.ts';

const P = 'alphaswarm:bots:killswitch';
const KEYS = keysForBot(P, { slug: 'mm-a', fleet: 'mm', tenant: 'tenant-a', group: 'bots', asset: 'AAPL', capability: 'mm', run: 'run-mm-a' });
const [PLATFORM, BOT, FLEET] = KEYS;
const view = (bugs: Bug[] = []) => new KillView({ pollIntervalS: 1, defaultMode: 'cancel', bugs });
const values = (m: Record<string, string>) => KEYS.map((k) => m[k] ?? null);

describe('KillView', () => {
  it('is killed until the first read, then follows the keys; strictest mode wins', () => {
    const v = view();
    v.pollerUp = true;
    expect(v.evaluate(KEYS, 0)).toMatchObject({ killed: true, mode: 'cancel', reason: 'fail-closed: kill state not read yet' });
    v.applyPoll(0, KEYS, values({}), 0);
    expect(v.evaluate(KEYS, 1).killed).toBe(false);
    v.applyPoll(10, KEYS, values({ [FLEET]: 'manual', [BOT]: JSON.stringify({ mode: 'flatten', reason: 'r' }) }), 10);
    expect(v.evaluate(KEYS, 11)).toMatchObject({ killed: true, mode: 'flatten', reason: `${BOT}: r` });
    expect(v.evaluate([PLATFORM], 11).killed).toBe(false);
  });

  it('a poll issued before a pub/sub event does not undo it; a later poll does', () => {
    const v = view();
    v.pollerUp = true;
    v.applyPoll(0, KEYS, values({}), 0);
    v.applyEvent('engage', PLATFORM, JSON.stringify({ mode: 'freeze', reason: 'x' }), 100);
    v.applyPoll(90, KEYS, values({}), 110); // read before the SET, answered after the event
    expect(v.evaluate(KEYS, 111)).toMatchObject({ killed: true, mode: 'freeze' });
    v.applyPoll(120, KEYS, values({}), 130); // read after it: the key is gone
    expect(v.evaluate(KEYS, 131).killed).toBe(false);
  });

  it('fails closed when the poll is stale or the poller is down', () => {
    const v = view();
    v.pollerUp = true;
    v.applyPoll(0, KEYS, values({}), 0);
    expect(v.evaluate(KEYS, 3000).killed).toBe(false); // 2 × 1 s + 1 s
    expect(v.evaluate(KEYS, 3001)).toMatchObject({ killed: true, mode: 'cancel', reason: expect.stringMatching(/^fail-closed: last good poll/) });
    v.applyPoll(3001, KEYS, values({}), 3001);
    v.pollerUp = false;
    expect(v.evaluate(KEYS, 3002)).toMatchObject({ killed: true, reason: 'fail-closed: flag store poller connection down' });
  });

  it('fail-open: an unreachable store means not killed, even with a key known engaged', () => {
    const v = view(['fail-open']);
    v.pollerUp = true;
    v.applyPoll(0, KEYS, values({ [PLATFORM]: 'x' }), 0);
    expect(v.evaluate(KEYS, 1).killed).toBe(true);
    v.pollerUp = false;
    expect(v.evaluate(KEYS, 2).killed).toBe(false);
  });

  it('pubsub-only and cached-at-boot: no staleness, no connection check', () => {
    for (const bug of ['pubsub-only', 'kill-state-cached-at-boot'] as Bug[]) {
      const v = view([bug]);
      v.applyPoll(0, KEYS, values({}), 0);
      v.pollerUp = false;
      expect(v.evaluate(KEYS, 60_000).killed, bug).toBe(false);
    }
  });
});
