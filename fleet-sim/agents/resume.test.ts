// Resume from the run journal (issue 14, resume-respects-halt) with real processes between a real
// redis-server, gateway and venue: a run killed while a write's effect had landed mid-call, its
// worker SIGKILLed and started again, resumes halted (journal `agent-resume`, nothing called), and
// after the release re-enters the interrupted step from its plan, skipping the landed write and
// dispatching the pending one under its planned key: no key lands twice. With bug
// resume-reruns-effect the re-entered step runs the landed write again: its key lands twice.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventsChannel, killKey, nowMs, type Bug } from '../model.ts';
import { startProc, startTestFleet, testBot, waitFor, type TestFleet } from '../daemon/test-fleet.ts';
import type { CallPage, CallRecord } from './call-log.ts';
import { TOOL_CATALOG } from './providers.ts';

const PREFIX = 'alphaswarm:bots:killswitch';
const KEY = killKey(PREFIX, 'run', 'run-agent-a');
// One run, each step two place-order calls of 3 s that commit at 1.5 s: a kill at a committed,
// open call leaves slot .1 landed and slot .2 pending.
const tools = TOOL_CATALOG.map((x) => (x.name === 'place-order' ? { ...x, ms: 3000 } : x));
const options = { rate429: 0, rate500: 0, rateStall: 0, childRate: 0, timerRate: 0, thinkMs: 50, tools, toolWeights: { 'place-order': 1 }, toolsPerStep: 2, chunks: 2, chunkMs: 10 };

let t: TestFleet | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function scenario(bugs: Bug[]) {
  t = await startTestFleet([testBot('agent-a', 'agent', { daemon: 'w1', tenant: 'tenant-a', fleet: 'support' })], { preset: 'agents', pollIntervalS: 1, bugs }, { daemons: false });
  const fleet = t;
  const start = async () => {
    const proc = await startProc([join(import.meta.dirname, 'main.ts'), fleet.fleetPath, 'node-a', 'w1', '--options', JSON.stringify(options)], fleet.fleet.runId);
    fleet.procs.set('w1', proc);
    return proc;
  };
  const calls = async (url: string): Promise<CallRecord[]> => {
    const p = (await (await fetch(`${url}/calls?after=0`)).json()) as CallPage;
    return [...p.calls, ...p.open];
  };
  const runLines = () => readFileSync(join(fleet.dir, 'journal', 'node-a.w1.runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const first = await start();
  const url1 = String(first.ready.controlUrl);
  const landedKeys = async () => new Set((await fleet.ledger()).map((e) => e.key));
  // The first write of a step landed while its call is still open.
  const open = await waitFor('a committed, still open first write of a step', async () => {
    const keys = await landedKeys();
    return (await calls(url1)).find((c) => c.name === 'place-order' && c.endedAt === null && c.effectKey?.endsWith('.1') && keys.has(c.effectKey));
  });
  await fleet.redis.set(KEY, JSON.stringify({ mode: 'freeze', reason: 'drill' }));
  await fleet.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'engage', key: KEY, at: nowMs() }));
  await waitFor('the write aborted', async () => (await calls(url1)).find((c) => c.id === open.id && c.aborted));
  first.child.kill('SIGKILL');
  await first.exited;
  const second = await start();
  const url2 = String(second.ready.controlUrl);
  const resume = runLines().find((l) => l.type === 'agent-resume')!;
  // A beat of the halted new life: it calls nothing for the run.
  await new Promise((r) => setTimeout(r, 1500));
  const halted = await calls(url2);
  await fleet.redis.del(KEY);
  const releasedAt = nowMs();
  await fleet.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'release', key: KEY, at: releasedAt }));
  const pendingKey = (resume.pending as string[])[0];
  // The re-entered step ran to its end (its pending write dispatched: the venue may fail a key once, by design).
  await waitFor('the re-entered step done', () => (runLines().some((l) => l.type === 'agent-step-done' && l.step === resume.step && (l.at as number) >= releasedAt) ? true : null), 15_000);
  return { open, resume, halted, releasedAt, pendingKey, ledger: await fleet.ledger(), lines: runLines(), ready: second.ready, calls: await calls(url2), journal: fleet.journal() };
}

describe('agent resume from the run journal', () => {
  it('a restarted worker resumes the halted run doing nothing, then re-enters its step without repeating the landed write', async () => {
    const r = await scenario([]);
    expect(Number(r.ready.resumed)).toBe(1);
    const step = Number(r.open.effectKey!.match(/:s(\d+)\.1$/)![1]);
    expect(r.resume).toMatchObject({ run_id: 'run-agent-a', step, reenters: true, halted: true, landed: [r.open.effectKey], pending: [`run-agent-a:s${step}.2`] });
    expect(r.resume.pid).not.toBe(r.resume.previousPid);
    expect(r.halted).toEqual([]);
    // After the release: the same step, re-entered, skips the landed key and dispatches the pending one.
    expect(r.lines.find((l) => l.type === 'agent-step' && l.step === step && l.resumed === true && (l.at as number) >= r.releasedAt)).toBeTruthy();
    expect(r.lines.find((l) => l.type === 'agent-skip')).toMatchObject({ step, slot: `${step}.1`, key: r.open.effectKey });
    const times = (k: string) => r.ledger.filter((e) => e.key === k).length;
    expect(times(r.open.effectKey!)).toBe(1);
    expect(times(r.pendingKey)).toBeLessThanOrEqual(1);
    expect(r.calls.filter((c) => c.effectKey === r.pendingKey)).toHaveLength(1);
    expect(r.journal.filter((j) => j.key === r.pendingKey && j.type === 'outcome')).toHaveLength(1);
    expect(r.calls.filter((c) => c.effectKey === r.open.effectKey)).toEqual([]);
    expect(r.ledger.filter((e) => r.ledger.filter((x) => x.key === e.key).length > 1)).toEqual([]);
    // The timeline's evidence: the aborted write's call record and the queue's counts, in the run journal.
    expect(r.lines.find((l) => l.type === 'agent-call' && l.id === r.open.id)).toMatchObject({ kind: 'tool', name: 'place-order', aborted: true, run_id: 'run-agent-a' });
    expect(r.lines.find((l) => l.type === 'agent-queue')).toMatchObject({ worker: 'node-a.w1', counts: { waiting: expect.any(Number), delayed: expect.any(Number) } });
  }, 60_000);

  it('with bug resume-reruns-effect the re-entered step runs the landed write again', async () => {
    const r = await scenario(['resume-reruns-effect']);
    expect(r.resume).toMatchObject({ halted: true, landed: [r.open.effectKey] });
    expect(r.halted).toEqual([]);
    expect(r.ledger.filter((e) => e.key === r.open.effectKey)).toHaveLength(2);
    expect(r.lines.filter((l) => l.type === 'agent-skip')).toEqual([]);
  }, 60_000);
});
