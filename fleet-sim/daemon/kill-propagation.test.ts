// Bot daemons as real processes against real redis-server, gateway and venue: engage by
// SET+PUBLISH, raw SET (polling), release, fail closed, boot while engaged, SIGTERM, stdin EOF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, testBot, waitFor, type TestFleet } from './test-fleet.ts';
import { eventsChannel, nowMs, phaseStreamKey } from '../model.ts';

const PREFIX = 'alphaswarm:bots:killswitch';
const FAST = { hft: { tickMs: 40, drainMs: 150 }, standard: { tickMs: 40, drainMs: 150 }, agent: { tickMs: 40, drainMs: 150 }, paper: { tickMs: 40, drainMs: 150 } };
const BOTS = [
  testBot('mm-a', 'hft', { fleet: 'mm' }),
  testBot('mm-b', 'hft', { fleet: 'mm', asset: 'MSFT' }),
  testBot('sa-a', 'standard', { fleet: 'sa' }),
  testBot('ag-a', 'agent', { fleet: 'ag', daemon: 'd2', host: 'node-b' }),
  testBot('pp-a', 'paper', { fleet: 'pp', daemon: 'd2', host: 'node-b' }),
];

async function engage(t: TestFleet, key: string, value: string, publish: boolean): Promise<number> {
  const at = nowMs();
  await t.redis.set(key, value);
  if (publish) await t.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'engage', key, value, at }));
  return at;
}

async function release(t: TestFleet, key: string, publish: boolean): Promise<void> {
  await t.redis.del(key);
  if (publish) await t.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'release', key, at: nowMs() }));
}

async function phaseEntries(t: TestFleet): Promise<Array<Record<string, string>>> {
  const rows = await t.redis.xrange(phaseStreamKey(PREFIX), '-', '+');
  return rows.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i], f[2 * i + 1]])));
}

describe('bot daemons', () => {
  let t: TestFleet;
  beforeAll(async () => {
    // Gateway check off: what the ledger shows is the bots' own doing, not the safety net's.
    t = await startTestFleet(BOTS, { pollIntervalS: 0.5, classes: FAST, gatewayCheck: false });
  });
  afterAll(async () => t?.close());

  it('writes a boot phase for every bot and loads the venue from every class', async () => {
    await waitFor('every bot Running', async () => Object.values(await t.phases()).filter((p) => p.phase === 'Running').length === BOTS.length);
    const entries = await phaseEntries(t);
    for (const b of BOTS) expect(entries.find((e) => e.slug === b.slug && e.from === '')).toMatchObject({ phase: 'Running', reason: 'boot', host: b.host, daemon: b.daemon });
    await waitFor('effects from every bot', async () => {
      const l = await t.ledger();
      return BOTS.every((b) => l.some((e) => e.bot === b.slug));
    });
    const kinds = new Set((await t.ledger()).map((e) => e.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['action', 'order']));
  });

  it('engage by SET+PUBLISH: in-scope bots drain and stop, out-of-scope bots keep going', async () => {
    const key = `${PREFIX}:fleet:mm`;
    await engage(t, key, JSON.stringify({ mode: 'cancel', reason: 'drill' }), true);
    await waitFor('mm bots Stopped', async () => {
      const p = await t.phases();
      return p['mm-a'].phase === 'Stopped' && p['mm-b'].phase === 'Stopped';
    });
    const entries = await phaseEntries(t);
    const draining = new Map(entries.filter((e) => e.phase === 'Draining').map((e) => [e.slug, Number(e.at)]));
    for (const s of ['mm-a', 'mm-b']) {
      expect(entries.filter((e) => e.slug === s).map((e) => e.phase).slice(-3)).toEqual(['Running', 'Draining', 'Stopped']);
      expect(entries.find((e) => e.slug === s && e.phase === 'Draining')!.reason).toContain('fleet:mm');
    }
    const before = (await t.ledger()).length;
    await waitFor('out-of-scope effects after the stop', async () => (await t.ledger()).filter((e) => ['sa-a', 'ag-a', 'pp-a'].includes(e.bot)).length > 0 && (await t.ledger()).length > before + 10);
    const ledger = await t.ledger();
    // After Draining an in-scope bot sent nothing but cancels (its working orders).
    const after = ledger.filter((e) => draining.has(e.bot) && e.dispatchedAt >= draining.get(e.bot)!);
    expect(after.every((e) => e.kind === 'cancel')).toBe(true);
    for (const s of ['sa-a', 'ag-a', 'pp-a']) expect((await t.phases())[s].phase).toBe('Running');

    await release(t, key, true);
    const releasedAt = nowMs();
    await waitFor('mm bots Running and dispatching again', async () => (await t.ledger()).some((e) => e.bot === 'mm-a' && e.kind === 'order' && e.dispatchedAt > releasedAt));
    expect((await t.phases())['mm-a']).toMatchObject({ phase: 'Running', from: 'Stopped' });
  });

  it('raw SET without publish halts through polling; flatten closes the position; raw DEL resumes', async () => {
    const key = `${PREFIX}:bot:sa-a`;
    await engage(t, key, JSON.stringify({ mode: 'flatten', reason: 'raw' }), false);
    await waitFor('sa-a Stopped via polling', async () => (await t.phases())['sa-a'].phase === 'Stopped');
    const entries = await phaseEntries(t);
    const d = entries.filter((e) => e.slug === 'sa-a' && e.phase === 'Draining').at(-1)!;
    expect(d.reason).toContain('bot:sa-a');
    const after = (await t.ledger()).filter((e) => e.bot === 'sa-a' && e.dispatchedAt >= Number(d.at));
    expect(after.every((e) => e.kind === 'close')).toBe(true);
    await release(t, key, false);
    await waitFor('sa-a Running via polling', async () => (await t.phases())['sa-a'].phase === 'Running');
  });

  it('fails closed when Redis goes away, flushes the buffered phases with their original times', async () => {
    await t.stopRedis();
    const downAt = nowMs();
    // Let the bots notice, then take the chance to load the venue if they would.
    await new Promise((r) => setTimeout(r, 1500));
    const ledger = await t.ledger();
    await new Promise((r) => setTimeout(r, 500));
    // Fail closed: nothing but cancels left any bot after it noticed (here, 1.5 s in).
    const late = (await t.ledger()).slice(ledger.length).filter((e) => e.kind !== 'cancel');
    expect(late).toEqual([]);
    await t.startRedis();
    await waitFor('every bot Running again', async () => {
      const p = await t.phases().catch(() => ({}) as Record<string, { phase: string }>);
      return BOTS.every((b) => p[b.slug]?.phase === 'Running');
    });
    const entries = await phaseEntries(t);
    for (const b of BOTS) {
      const d = entries.find((e) => e.slug === b.slug && e.phase === 'Draining');
      expect(d?.reason, b.slug).toMatch(/^fail-closed: /);
      expect(Number(d!.at)).toBeLessThan(downAt + 1500);
    }
  });

  it('a daemon started while engaged boots Stopped and dispatches nothing', async () => {
    const key = `${PREFIX}:fleet:pp`;
    await engage(t, key, 'manual-emergency', false);
    const d2 = t.procs.get('node-b/d2')!;
    d2.child.kill('SIGKILL');
    await d2.exited;
    const bootedAt = nowMs();
    await t.startDaemon('node-b', 'd2');
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.phases())['pp-a']).toMatchObject({ phase: 'Stopped', from: '' });
    expect((await t.ledger()).filter((e) => e.bot === 'pp-a' && e.dispatchedAt > bootedAt)).toEqual([]);
    await release(t, key, true);
    await waitFor('pp-a Running', async () => (await t.phases())['pp-a'].phase === 'Running');
  });

  it('SIGTERM drains every bot (cancel mode) and exits 0', async () => {
    const d1 = t.procs.get('node-a/d1')!;
    d1.child.kill('SIGTERM');
    expect(await d1.exited).toEqual({ code: 0, signal: null });
    const p = await t.phases();
    for (const s of ['mm-a', 'mm-b', 'sa-a']) expect(p[s]).toMatchObject({ phase: 'Stopped', from: 'Draining' });
    const entries = await phaseEntries(t);
    expect(entries.filter((e) => e.slug === 'mm-a' && e.phase === 'Draining').at(-1)!.reason).toMatch(/SIGTERM/);
  });

  it('a closed stdin pipe stops a daemon the same way', async () => {
    const d2 = t.procs.get('node-b/d2')!;
    d2.child.stdin!.end();
    expect(await d2.exited).toEqual({ code: 0, signal: null });
    for (const s of ['ag-a', 'pp-a']) expect((await t.phases())[s].phase).toBe('Stopped');
  });
});
