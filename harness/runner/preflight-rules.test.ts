// The pure rules of preflight: the clock offset and its bound (NTP's offset ± RTT/2 of the fastest
// round trip), whose a kill found engaged is (run id in its reason; the run's lease), and when it
// stops the case. Each rule has cases where it must refuse.
import { describe, expect, it } from 'vitest';
import {
  botsCovered, clockOffset, clockProblem, engagedProblem, keyValueFields, ownerOf, parseKillKey, runIdOfReason, runLiveness,
  type FoundKill, type HostView, type LeaseValue,
} from './preflight-rules.ts';
import { leverReason } from '../kill-paths/run-marks.ts';
import type { RosterBot } from './in-scope.ts';

describe('clock offset', () => {
  it('takes the fastest round trip: offset = target − midpoint, known to ± rtt/2', () => {
    const m = clockOffset([
      { sentAt: 1000, receivedAt: 1040, targetMs: 1100 }, // rtt 40: offset 80 ± 20
      { sentAt: 2000, receivedAt: 2004, targetMs: 2012 }, // rtt 4: offset 10 ± 2
      { sentAt: 3000, receivedAt: 3010, targetMs: 3000 },
    ])!;
    expect(m).toEqual({ offsetMs: 10, rttMs: 4, boundMs: 12, samples: 3 });
  });
  it('a target clock behind the harness gives a negative offset, bounded by its size', () => {
    const m = clockOffset([{ sentAt: 5000, receivedAt: 5002, targetMs: 4700 }])!;
    expect(m.offsetMs).toBe(-301);
    expect(m.boundMs).toBe(302);
  });
  it('no usable sample: no offset (a reply before the question is not one)', () => {
    expect(clockOffset([])).toBeNull();
    expect(clockOffset([{ sentAt: 10, receivedAt: 5, targetMs: 7 }])).toBeNull();
    expect(clockOffset([{ sentAt: 10, receivedAt: 11, targetMs: Number.NaN }])).toBeNull();
  });
  it('within the bound passes; just past it refuses, naming offset, uncertainty and the option', () => {
    const ok = clockOffset([{ sentAt: 0, receivedAt: 2, targetMs: 249 }])!; // 248 ± 1 → 249
    expect(clockProblem(ok, 250, 'the target')).toBeNull();
    const off = clockOffset([{ sentAt: 0, receivedAt: 2, targetMs: 251 }])!; // 250 ± 1 → 251
    expect(clockProblem(off, 250, 'the target')).toMatch(/is 250 ms ± 1 ms off the harness's \(up to 251 ms\), more than --max-clock-offset 250 ms; fix the target's time sync/);
  });
  it('a behind clock past the bound refuses as well (the bound is on |offset|)', () => {
    expect(clockProblem(clockOffset([{ sentAt: 1000, receivedAt: 1000, targetMs: 600 }]), 250, 'x')).toMatch(/-400 ms/);
  });
  it('round trips too slow to bound the offset refuse even when the midpoint agrees exactly', () => {
    const m = clockOffset([{ sentAt: 0, receivedAt: 600, targetMs: 300 }])!; // offset 0 ± 300
    expect(m.offsetMs).toBe(0);
    expect(clockProblem(m, 250, 'the target')).toMatch(/cannot be bounded within 250 ms: its fastest of 1 round trips took 600 ms, so the offset is only known to ± 300 ms/);
  });
  it('no measurement at all refuses', () => {
    expect(clockProblem(null, 250, "the target's Redis")).toMatch(/could not be read \(no TIME answer\)/);
  });
});

describe('what a kill carries', () => {
  it('the run id of a lever reason, and nothing from any other reason', () => {
    expect(runIdOfReason(leverReason('20261202T200000-rest-abc123', 'rest', 'kill.mode=cancel'))).toBe('20261202T200000-rest-abc123');
    expect(runIdOfReason('manual-emergency')).toBeNull();
    expect(runIdOfReason('halted by killdrill run x')).toBeNull();
    expect(runIdOfReason(undefined)).toBeNull();
  });
  it('a key value: JSON fields, or the whole text as the reason', () => {
    expect(keyValueFields('{"mode":"cancel","reason":"r","by":"broker:operator","at":1}')).toEqual({ reason: 'r', by: 'broker:operator', mode: 'cancel' });
    expect(keyValueFields('manual-emergency')).toEqual({ reason: 'manual-emergency', by: null, mode: null });
    expect(keyValueFields('[1]')).toEqual({ reason: '[1]', by: null, mode: null });
  });
  it('kill keys of the prefix only, with a known scope', () => {
    expect(parseKillKey('a:b:ks', 'a:b:ks:fleet:market-making')).toEqual({ scope: 'fleet', target: 'market-making' });
    expect(parseKillKey('a:b:ks', 'a:b:ks:bot:x:y')).toEqual({ scope: 'bot', target: 'x:y' });
    expect(parseKillKey('a:b:ks', 'a:b:ks:events')).toBeNull();
    expect(parseKillKey('a:b:ks', 'a:b:ks:nonsense:x')).toBeNull();
    expect(parseKillKey('a:b:ks', 'a:b:other:fleet:x')).toBeNull();
  });
});

const lease = (over: Partial<LeaseValue> = {}): LeaseValue => ({ runId: 'r1', host: 'ci-1', pid: 4242, procStart: '777', startedAt: 1, ttlMs: 15000, ...over });
const host = (alive: boolean | null): HostView => ({ host: 'ci-1', alive: () => alive });

describe('run liveness (the lease)', () => {
  it('no lease: dead', () => {
    expect(runLiveness('r1', null, host(true)).state).toBe('dead');
  });
  it('a lease of this host whose process is gone: dead, though the lease has not expired yet', () => {
    expect(runLiveness('r1', lease(), host(false))).toMatchObject({ state: 'dead', why: expect.stringMatching(/pid 4242 on this host \(ci-1\), which is not running/) });
  });
  it('a lease of this host whose process runs, or cannot be told: live', () => {
    expect(runLiveness('r1', lease(), host(true)).state).toBe('live');
    expect(runLiveness('r1', lease(), host(null)).state).toBe('live');
  });
  it("another host's lease: live until it expires (its process cannot be asked)", () => {
    expect(runLiveness('r1', lease({ host: 'ci-2' }), host(false))).toMatchObject({ state: 'live', why: expect.stringMatching(/on ci-2\) holds a live lease on the target \(if that run was killed, its lease expires within 15 s: run again then\)/) });
  });
});

const roster: RosterBot[] = [
  { slug: 'mm-1', host: 'a', daemon: 'mm-a', fleet: 'market-making', tenant: 't', group: 'bots', class: 'hft', asset: 'AAPL', tags: ['trading'] },
  { slug: 'sa-1', host: 'a', daemon: 'sa-a', fleet: 'stat-arb', tenant: 't', group: 'quant-agents', class: 'standard', asset: 'MSFT', tags: ['trading'] },
  { slug: 'ag-1', host: 'b', daemon: 'ag-b', fleet: 'agents', tenant: 't', group: 'agents', class: 'agent', asset: 'n/a', tags: ['agents'] },
];
const key = (scope: string, target: string, reason: string | null, runId: string | null = runIdOfReason(reason)): FoundKill => ({ source: 'redis-key', id: `p:${scope}:${target}`, scope, target, reason, runId });

describe('a kill found engaged', () => {
  const liveness = (dead: string[]) => (id: string) => (dead.includes(id) ? { state: 'dead' as const, why: 'no lease' } : { state: 'live' as const, why: `run ${id} holds a live lease` });
  it("a dead run's is cleared, never refused", () => {
    const k = key('platform', 'platform', 'killdrill run old-1: rest');
    const o = ownerOf(k, liveness(['old-1']));
    expect(o).toMatchObject({ owner: 'dead-run', runId: 'old-1' });
    expect(engagedProblem(k, o, botsCovered(k, roster), ['mm-1'])).toBeNull();
  });
  it("someone else's over an in-scope bot refuses, says it is left engaged", () => {
    const k = key('fleet', 'market-making', 'manual-emergency');
    const o = ownerOf(k, liveness([]));
    expect(o.owner).toBe('someone-else');
    expect(engagedProblem(k, o, botsCovered(k, roster), ['mm-1', 'sa-1'])).toMatch(/^killdrill: preflight: kill key p:fleet:market-making is already engaged over 1 in-scope bot\(s\) \(mm-1\); its reason \("manual-emergency"\) names no killdrill run id.*leaves it engaged/);
  });
  it("a live run's over an in-scope bot refuses too", () => {
    const k = key('bot', 'sa-1', 'killdrill run busy-2: x');
    const o = ownerOf(k, liveness([]));
    expect(o).toMatchObject({ owner: 'live-run', runId: 'busy-2' });
    expect(engagedProblem(k, o, botsCovered(k, roster), ['sa-1'])).toMatch(/run busy-2 holds a live lease/);
  });
  it("someone else's over bots outside the case's scope does not stop it", () => {
    const k = key('fleet', 'agents', 'manual');
    expect(engagedProblem(k, ownerOf(k, liveness([])), botsCovered(k, roster), ['mm-1'])).toBeNull();
  });
  it('a halt level covers bots by its own rules (level 2: the trading daemons)', () => {
    const halt: FoundKill = { source: 'broker-halt', id: 'haltLevel 2', scope: 'platform', target: 'platform', level: 2, reason: 'incident', runId: null };
    expect(botsCovered(halt, roster)).toEqual(['mm-1', 'sa-1']);
    expect(engagedProblem(halt, ownerOf(halt, liveness([])), botsCovered(halt, roster), ['sa-1'])).toMatch(/the broker's haltLevel 2 is already engaged/);
    expect(engagedProblem(halt, ownerOf(halt, liveness([])), botsCovered(halt, roster), ['ag-1'])).toBeNull();
    // A bot list without tags cannot say which daemons a level stops: every bot is taken as covered.
    const untagged = roster.map(({ tags: _t, ...b }) => b);
    expect(botsCovered(halt, untagged)).toEqual(['mm-1', 'sa-1', 'ag-1']);
    expect(engagedProblem(halt, ownerOf(halt, liveness([])), botsCovered(halt, untagged), ['ag-1'])).toMatch(/already engaged over 1 in-scope bot/);
  });
});
