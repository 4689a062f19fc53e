// The seed-000 failure-mode scenarios of scenarios/incidents/, run with `killdrill run`, and what
// their histories show beyond the verdicts: Redis really stopped, the REST fan-out was refused, the
// bots failed closed (or, with fail-open, kept trading), and with pubsub-only under a dropped
// subscriber link the bots never halted.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { killdrill, readOps, runDirs, ROOT, type Op } from './faults-helpers.ts';

const num = (v: unknown) => v as number;

async function run(name: string) {
  const outDir = mkdtempSync(join(tmpdir(), 'killdrill-faults-scen-'));
  const r = killdrill(['run', join(ROOT, 'scenarios', 'incidents', `${name}.yaml`), '--out', outDir]);
  const code = await r.code;
  const [dir] = runDirs(outDir);
  const ops = readOps(dir);
  const verdicts = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).verdicts as Array<{ checker: string; valid: unknown; summary: string }>;
  const one = (type: string, pred: (o: Op) => boolean = () => true) => ops.find((o) => o.type === type && pred(o))!;
  return { code, out: r.out(), err: r.err(), ops, verdicts, one };
}

describe('seed-000 failure modes', () => {
  it('redis-down: Redis really stops, the REST fan-out is refused, every bot fails closed, no effect lands; heal brings them back', { timeout: 200_000 }, async () => {
    const r = await run('redis-down');
    expect(r.out, r.err).toMatch(/^PASS redis-down /m);
    expect(r.code).toBe(0);
    const inj = r.one('fault-injected', (o) => o.kind === 'redis-down');
    const heal = r.one('fault-healed', (o) => o.kind === 'redis-down');
    const injDetail = inj.detail as { component: string; action: string; pid: number };
    const healDetail = heal.detail as { pid: number; alreadyRunning: boolean };
    expect(injDetail).toMatchObject({ component: 'redis', action: 'stop' });
    expect(healDetail.alreadyRunning).toBe(false);
    expect(healDetail.pid).not.toBe(injDetail.pid); // a new redis-server process
    // t0: the stop was issued; the heal (scenario: 8 s after the injection returned) was issued after t0 + 8 s,
    // and fault-healed.at is when it returned, by which time bots may already be back.
    const [t0, t1] = [num(inj.at), num(inj.at) + 8000];
    // The broker's /status could not read its halt state while Redis was down.
    expect(r.ops.some((o) => o.type === 'status' && o.ok === false && num(o.at) > t0 && num(o.at) < t1)).toBe(true);
    // The runbook's "REST fan-out still halts": every halt endpoint answered 503, nothing was engaged.
    const failed = r.one('lever-failed');
    expect(String(failed.error)).toMatch(/\/bots\/halt-all: 503 .*Redis .* is unreachable/);
    expect(r.ops.some((o) => o.type === 'lever-engaged' && o.lever === 'kill')).toBe(false);
    // Yet every bot failed closed: Draining (fail-closed), then Stopped, during the outage; Running after the heal.
    const slugs = (r.one('roster').bots as Array<{ slug: string }>).map((b) => b.slug);
    const phases = r.ops.filter((o) => o.type === 'phase');
    for (const s of slugs) {
      const mine = phases.filter((p) => p.slug === s);
      const drain = mine.find((p) => p.phase === 'Draining' && num(p.at) > t0);
      expect(String(drain?.reason), s).toMatch(/^fail-closed: /);
      expect(num(drain!.at)).toBeLessThan(t0 + 2000);
      expect(mine.some((p) => p.phase === 'Stopped' && num(p.at) > num(drain!.at) && num(p.at) < t1)).toBe(true);
      expect(mine.some((p) => p.phase === 'Running' && num(p.at) > t1 && num(p.at) < num(heal.at) + 5000)).toBe(true);
    }
    const effects = r.ops.filter((o) => o.type === 'effect');
    expect(effects.filter((e) => num(e.receivedAt) > t0 + 1500 && num(e.receivedAt) < t1)).toEqual([]);
    expect(effects.filter((e) => num(e.receivedAt) > num(heal.at)).length).toBeGreaterThan(0);
  });

  it('redis-down-fail-open: with the same outage, bots that fail open keep trading and nothing halts them', { timeout: 200_000 }, async () => {
    const r = await run('redis-down-fail-open');
    expect(r.out, r.err).toMatch(/^PASS redis-down-fail-open /m);
    const [t0, t1] = [num(r.one('fault-injected').at), num(r.one('fault-healed').at)];
    expect(r.one('lever-failed')).toBeTruthy();
    expect(r.ops.some((o) => o.type === 'phase' && o.phase === 'Draining')).toBe(false);
    const during = r.ops.filter((o) => o.type === 'effect' && num(o.receivedAt) > t0 + 1500 && num(o.receivedAt) < t1);
    expect(during.length).toBeGreaterThan(10);
    expect(r.verdicts.find((v) => v.checker === 'time-to-stop')?.summary).toMatch(/never stopped/);
  });

  it('pubsub-drop-pubsub-only: the engage is published into a silent link, bots without polling never halt, the harness says so', { timeout: 200_000 }, async () => {
    const r = await run('pubsub-drop-pubsub-only');
    expect(r.out, r.err).toMatch(/^PASS pubsub-drop-pubsub-only /m);
    expect(r.one('lever-engaged', (o) => o.lever === 'kill')).toBeTruthy();
    const byName = Object.fromEntries(r.verdicts.map((v) => [v.checker, v]));
    expect(byName['time-to-draining'].valid).toBe(false);
    expect(byName['time-to-draining'].summary).toMatch(/never left Running/);
    expect(byName['time-to-stop'].valid).toBe(false);
    expect(byName['post-flip-effects'].valid).toBe(false);
    expect(byName['journal-consistent'].valid).toBe(true);
  });
});
