// One definition per figure (issue 11 item 9): the reports show the checkers' details, never a
// recomputation. The run's result.json is tampered so that its checker details differ from what
// any recomputation over the history would give; every report must show the checker's figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixtureRun, type Fixture } from './reports-fixture.ts';
import { buildEvidence, buildView, formatSummary, readRun, renderTimeline, type RunResult } from '../reports/index.ts';

let tmp: string;
let fx: Fixture;
let seq: number;
let bots: string[];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'killdrill-figures-'));
  fx = writeFixtureRun({ dir: join(tmp, 'run'), bots: 60, postFlip: 5 });
  const history = readFileSync(join(fx.dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // An allowed cancel dispatched long before the kill: no recomputation could call it post-flip.
  const cancel = history.find((o) => o.type === 'effect' && o.kind === 'cancel');
  seq = cancel.seq;
  bots = [cancel.bot, history.find((o) => o.type === 'roster').bots.find((b: { slug: string }) => b.slug !== cancel.bot).slug];
  const file = join(fx.dir, 'result.json');
  const result = JSON.parse(readFileSync(file, 'utf8')) as { verdicts: Array<{ checker: string; details: Record<string, unknown> }> };
  const details = (name: string) => result.verdicts.find((v) => v.checker === name)!.details;
  Object.assign(details('post-flip-effects'), { mode: 'freeze', violations: 1, inFlightAtEngaged: 41, propagationTail: 42, windowEnd: null, inScopeBots: bots, violationSeqs: [seq] });
  Object.assign(details('time-to-stop'), { stats: { p50: 1111, p99: 2222, max: 3333 }, perBot: { [bots[0]]: 3333, [bots[1]]: 1111 } });
  Object.assign(details('time-to-draining'), { stats: { p50: 11, p99: 22, max: 33 }, perBot: { [bots[0]]: 33, [bots[1]]: 11 } });
  Object.assign(details('journal-consistent'), { intents: 12345, effects: 54321, notLandedCount: 77, notLanded: [{ key: 'k-77', bot: bots[0], outcome: 'rejected' }], duplicates: [{ key: 'dup-1', times: 2 }] });
  writeFileSync(file, JSON.stringify(result, null, 2));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("reports show the checkers' figures, never their own", () => {
  it('evidence: in-scope bots, post-flip list, mode, window, percentiles, per-bot times and journal diff', () => {
    const ev = buildEvidence(buildView(readRun(fx.dir)));
    expect(ev.bots.inScope).toBe(2);
    expect(ev.timings.perBot.filter((b) => b.inScope).map((b) => b.slug).sort()).toEqual([...bots].sort());
    expect(ev.postFlipEffects.count).toBe(1);
    expect(ev.postFlipEffects.listed.map((e) => e.seq)).toEqual([seq]);
    expect([ev.postFlipEffects.mode, ev.lever.mode]).toEqual(['freeze', 'freeze']);
    expect(ev.postFlipEffects.window?.to).toBeNull();
    expect([ev.postFlipEffects.inFlightAtEngaged, ev.postFlipEffects.propagationTail]).toEqual([41, 42]);
    expect(ev.timings.timeToStopMs).toEqual({ p50: 1111, p99: 2222, max: 3333 });
    expect(ev.timings.timeToDrainingMs).toEqual({ p50: 11, p99: 22, max: 33 });
    expect(ev.timings.perBot.find((b) => b.slug === bots[0])?.timeToStopMs).toBe(3333);
    expect(ev.journal).toMatchObject({ intents: 12345, ledgerEffects: 54321, notLandedCount: 77, landedTwice: [{ key: 'dup-1', times: 2 }] });
  });

  it('timeline: one red mark, on the effect the checker listed; its mode and counts', () => {
    const html = renderTimeline(buildView(readRun(fx.dir)));
    expect(html.match(/class="post-flip" data-seq="(\d+)"/g)).toEqual([`class="post-flip" data-seq="${seq}"`]);
    expect(html).toContain('mode <b>freeze</b>');
    expect(html).toContain('in flight at engaged 41 · propagation tail 42');
    expect(html).toContain('p50 1111 ms · p99 2222 ms · max 3333 ms');
    expect(html).toContain('12345 intents · 54321 ledger effects · 77 not landed');
    expect(html).toContain('(in scope 2)');
  });

  it('console summary: stop p99 and max, post-flip count and journal from the details', () => {
    const result = JSON.parse(readFileSync(join(fx.dir, 'result.json'), 'utf8')) as RunResult;
    const row = formatSummary([result]).split('\n')[1];
    expect(row).toContain('2222 ms');
    expect(row).toContain('3333 ms');
    expect(row).toMatch(/FAIL\s+2222 ms\s+3333 ms\s+1\s+ok 12345\/77 not landed/);
  });

  it("a broker-level run shows the halt level's mode, as the checker judged it, not the lever's", () => {
    const bl = writeFixtureRun({ dir: join(tmp, 'level4'), bots: 60, postFlip: 2, path: 'broker-level', level: 4, mode: 'cancel' });
    const view = buildView(readRun(bl.dir));
    const ev = buildEvidence(view);
    expect([ev.lever.mode, ev.postFlipEffects.mode]).toEqual(['freeze', 'freeze']);
    expect(renderTimeline(view)).toContain('mode <b>freeze</b>');
    // In freeze even the drain's cancels are violations: the list is the checker's, not the lever's mode's.
    expect(ev.postFlipEffects.listed.some((e) => e.kind === 'cancel')).toBe(true);
    expect(ev.postFlipEffects.listed).toHaveLength(ev.postFlipEffects.count!);
  });
});
