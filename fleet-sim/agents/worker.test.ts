// Agent workers as real processes between a real redis-server and the real gateway and venue
// (issue 14 item 3): a run kill set mid-stream reaches the msw handler as an abort (its record
// says aborted, with its time) within the seed's in-flight budget, and the other run goes on; a
// capability kill set after a write tool committed aborts that call, leaves its effect in the
// venue ledger and the journal, and the reads of the same run keep flowing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventsChannel, killKey, nowMs } from '../model.ts';
import { startProc, startTestFleet, testBot, waitFor, type Proc, type TestFleet } from '../daemon/test-fleet.ts';
import type { CallPage, CallRecord } from './call-log.ts';
import { TOOL_CATALOG } from './providers.ts';

const PREFIX = 'alphaswarm:bots:killswitch';
/** Seed 004 / issue 14: an in-flight call open at the flip is aborted within 1 s. */
const INFLIGHT_BUDGET_MS = 1000;
const quiet = { rate429: 0, rate500: 0, rateStall: 0, childRate: 0, timerRate: 0, thinkMs: 50 };

const bots = [
  testBot('agent-a', 'agent', { daemon: 'w1', tenant: 'tenant-a', fleet: 'support' }),
  testBot('agent-b', 'agent', { daemon: 'w1', tenant: 'tenant-b', fleet: 'support' }),
  testBot('agent-c', 'agent', { daemon: 'w2', tenant: 'tenant-c', fleet: 'trading' }),
  testBot('agent-d', 'agent', { daemon: 'w3', tenant: 'tenant-d', fleet: 'research' }),
  testBot('agent-e', 'agent', { daemon: 'w4', tenant: 'tenant-e', fleet: 'ops' }),
  testBot('agent-f', 'agent', { daemon: 'w4', tenant: 'tenant-e', fleet: 'ops' }),
  testBot('agent-g', 'agent', { daemon: 'w5', tenant: 'tenant-g', fleet: 'ops' }),
];
const TIMER_MS = 3000;

let t: TestFleet;
const workers = new Map<string, { proc: Proc; url: string }>();

async function startWorker(name: string, options: Record<string, unknown>): Promise<void> {
  const proc = await startProc([join(import.meta.dirname, 'main.ts'), t.fleetPath, 'node-a', name, '--options', JSON.stringify(options)], t.fleet.runId);
  t.procs.set(name, proc);
  workers.set(name, { proc, url: String(proc.ready.controlUrl) });
}

async function calls(worker: string): Promise<CallRecord[]> {
  const p = (await (await fetch(`${workers.get(worker)!.url}/calls?after=0`)).json()) as CallPage;
  return [...p.calls, ...p.open];
}

/** SET then PUBLISH, as the broker and operator do; returns engagedAt (the SET confirmed). */
async function engage(scope: 'run' | 'capability' | 'tenant', target: string, queue?: 'drain' | 'discard'): Promise<number> {
  const key = killKey(PREFIX, scope, target);
  const value = JSON.stringify({ mode: 'freeze', reason: 'drill', ...(queue ? { queue } : {}) });
  await t.redis.set(key, value);
  const engagedAt = nowMs();
  await t.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'engage', key, value, at: engagedAt }));
  return engagedAt;
}

beforeAll(async () => {
  t = await startTestFleet(bots, { pollIntervalS: 1 }, { daemons: false });
  // w1: LLM calls only, each a 4-second stream; w2: a slow write tool (commits at 1.5 s) and fast reads.
  await startWorker('w1', { ...quiet, toolWeights: {}, chunks: 40, chunkMs: 100 });
  const tools = TOOL_CATALOG.map((x) => (x.name === 'place-order' ? { ...x, ms: 3000 } : x));
  await startWorker('w2', { ...quiet, tools, toolWeights: { 'place-order': 1, 'get-quote': 1 }, toolsPerStep: 2, chunks: 2, chunkMs: 10 });
  // w3: fan-out and a timer at every step, children that keep going, now and then the 60-second tool.
  // w4: long think times, so a run's next step is mostly a delayed job waiting in the queue.
  await startWorker('w4', { ...quiet, thinkMs: 2500, toolWeights: {}, chunks: 2, chunkMs: 10 });
  // w5: tools that fail half the time, retried by delayed jobs 1.5–3 s later.
  await startWorker('w5', { ...quiet, rate500: 0.5, faultKinds: ['tool'], backoffMs: 1500, maxAttempts: 3, toolWeights: { 'get-quote': 1 }, toolsPerStep: 1, chunks: 2, chunkMs: 10, thinkMs: 100 });
  await startWorker('w3', { ...quiet, childRate: 1, maxChildren: 2, childSteps: 1000, timerRate: 1, timerMs: TIMER_MS, toolWeights: { 'get-quote': 3, 'deep-research': 1 }, toolsPerStep: 1, chunks: 2, chunkMs: 10, thinkMs: 200 });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('agent workers', () => {
  it('a run kill mid-stream aborts the open LLM call within the budget; the other run goes on', async () => {
    const open = await waitFor('an open streaming call of run-agent-a', async () => (await calls('w1')).find((c) => c.run_id === 'run-agent-a' && c.kind === 'llm' && c.endedAt === null && Date.now() - c.startedAt > 300));
    const engagedAt = await engage('run', 'run-agent-a');
    const rec = await waitFor('its record to say aborted', async () => (await calls('w1')).find((c) => c.id === open.id && c.aborted));
    expect(rec.abortedAt).not.toBeNull();
    expect(rec.abortedAt! - engagedAt).toBeLessThan(INFLIGHT_BUDGET_MS);
    expect(rec.endedAt).toBe(rec.abortedAt); // the handler stopped on the abort: the stream was cut short
    // Nothing new for run-agent-a once its call was aborted; run-agent-b's calls run to completion.
    const b = await waitFor('a run-agent-b call started after the flip and finished', async () => (await calls('w1')).find((c) => c.run_id === 'run-agent-b' && c.startedAt > engagedAt && c.endedAt !== null));
    expect(b.aborted).toBe(false);
    const afterKill = (await calls('w1')).filter((c) => c.run_id === 'run-agent-a' && c.startedAt > rec.abortedAt!);
    expect(afterKill).toEqual([]);
    const phase = await waitFor('agent-a Stopped', async () => ((await t.phases())['agent-a']?.phase === 'Stopped' ? (await t.phases())['agent-a'] : null));
    expect(phase.reason).toMatch(/run:run-agent-a/);
    expect((await t.phases())['agent-b'].phase).toBe('Running');
  });

  it('POST /tasks: a task for a running run is queued and taken (its step runs); into the killed run it is refused and nothing is queued', async () => {
    type Tasks = { tasks: Array<{ run_id: string; kind: string; event: string; at: number }> };
    const tasks = async () => ((await (await fetch(`${workers.get('w1')!.url}/tasks?after=0`)).json()) as Tasks).tasks;
    const post = (run: string) => fetch(`${workers.get('w1')!.url}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ run_id: run }) });
    const before = nowMs();
    const ok = await post('run-agent-b');
    expect(ok.status).toBe(202);
    // A worker that answers 202 and drops the task fails here: the task is a timer job due at once, taken and started.
    await waitFor('the submitted task enqueued and started', async () => {
      const mine = (await tasks()).filter((x) => x.run_id === 'run-agent-b' && x.kind === 'timer' && x.at >= before);
      return mine.some((x) => x.event === 'enqueued') && mine.some((x) => x.event === 'started') ? true : null;
    });
    type Runs = { submissions: { accepted: number; refused: number; started: number } };
    const counted = async () => ((await (await fetch(`${workers.get('w1')!.url}/runs`)).json()) as Runs).submissions;
    expect(await counted()).toMatchObject({ accepted: 1, started: 1 });

    // run-agent-a is killed (the case above): refused, counted, and nothing of it enqueued.
    const refused = await post('run-agent-a');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^killdrill: run 'run-agent-a' takes no task: its scope is killed/);
    expect((await counted()).refused).toBe(1);
    expect((await tasks()).filter((x) => x.run_id === 'run-agent-a' && x.event === 'enqueued' && x.at >= before)).toEqual([]);
  });

  it('a capability kill after a write committed aborts it, its effect is in the ledger, reads go on', async () => {
    const ledgerHas = async (key: string) => (await t.ledger()).find((e) => e.key === key);
    const open = await waitFor('a committed, still open place-order call', async () => {
      for (const c of await calls('w2')) if (c.name === 'place-order' && c.endedAt === null && c.effectKey && (await ledgerHas(c.effectKey))) return c;
      return null;
    });
    const engagedAt = await engage('capability', 'place-order');
    const rec = await waitFor('the write call aborted', async () => (await calls('w2')).find((c) => c.id === open.id && c.aborted));
    expect(rec.abortedAt! - engagedAt).toBeLessThan(INFLIGHT_BUDGET_MS);
    const landed = (await ledgerHas(rec.effectKey!))!;
    expect(landed).toMatchObject({ bot: 'agent-c', run: 'run-agent-c', capability: 'place-order', kind: 'action' });
    const j = t.journal().filter((x) => x.key === rec.effectKey);
    expect(j.map((x) => x.type)).toEqual(['intent', 'outcome']);
    expect(j[1]).toMatchObject({ status: 'landed', seq: landed.seq });
    // The run goes on: reads and LLM calls after the flip, and no write started or landed after it.
    await waitFor('a get-quote call started after the flip and finished', async () => (await calls('w2')).find((c) => c.name === 'get-quote' && c.startedAt > engagedAt && c.endedAt !== null && !c.aborted));
    expect((await calls('w2')).filter((c) => c.name === 'place-order' && c.startedAt > rec.abortedAt!)).toEqual([]);
    expect((await t.ledger()).filter((e) => e.run === 'run-agent-c' && e.dispatchedAt > engagedAt)).toEqual([]);
    expect((await t.phases())['agent-c'].phase).toBe('Running');
  });

  it('a tenant kill aborts the 60-second tool, clears the timers set before it, and stops the children', async () => {
    type Runs = { runs: Array<{ run_id: string; parent: string | null; parked: boolean }>; timersSet: number; timersCancelled: number; fanIns: number };
    const runs = async () => (await (await fetch(`${workers.get('w3')!.url}/runs`)).json()) as Runs;
    const inTree = (c: CallRecord) => c.run_id === 'run-agent-d' || c.run_id.startsWith('run-agent-d.c');
    await waitFor('two children and a timer', async () => {
      const r = await runs();
      // Each child started as the child job of a BullMQ flow: its parent `fan-in` job waits for it, or ran after it.
      const q = (await (await fetch(`${workers.get('w3')!.url}/queue`)).json()) as { counts: Record<string, number> };
      return r.runs.filter((x) => x.parent === 'run-agent-d').length === 2 && r.timersSet > 0 && r.fanIns + q.counts['waiting-children'] === 2;
    });
    const open = await waitFor('an open deep-research call', async () => (await calls('w3')).find((c) => inTree(c) && c.name === 'deep-research' && c.endedAt === null), 30_000);
    const before = await runs();
    const engagedAt = await engage('tenant', 'tenant-d');
    const rec = await waitFor('the 60-second call aborted', async () => (await calls('w3')).find((c) => c.id === open.id && c.aborted));
    expect(rec.abortedAt! - engagedAt).toBeLessThan(INFLIGHT_BUDGET_MS);
    // Every open call of the tree was aborted, not awaited.
    const openAtFlip = (await calls('w3')).filter((c) => inTree(c) && c.startedAt <= engagedAt && (c.endedAt === null || c.endedAt > engagedAt));
    for (const c of openAtFlip) expect(c.aborted, `${c.id} ${c.name}`).toBe(true);
    // Let every timer set before the flip come due: none fires into a call, none is left.
    await new Promise((r) => setTimeout(r, TIMER_MS + 500));
    const after = await runs();
    expect((await calls('w3')).filter((c) => inTree(c) && c.startedAt > rec.abortedAt!)).toEqual([]);
    expect(after.timersCancelled).toBeGreaterThan(before.timersCancelled);
    expect(after.runs.filter((x) => x.parent === 'run-agent-d')).toHaveLength(2); // no third child
    expect(after.runs.filter((x) => x.run_id.startsWith('run-agent-d')).every((x) => x.parked)).toBe(true);
  });

  it('queue policy: discard removes the queued step and journals it, release re-enqueues it; drain leaves it and queues nothing new', async () => {
    const queueJournal = () => (existsSync(join(t.dir, 'queue', 'node-a.w4.jsonl')) ? readFileSync(join(t.dir, 'queue', 'node-a.w4.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; run_id: string; name: string; jobId: string }) : []);
    const idle = (run: string) => async () => {
      const cs = await calls('w4');
      return cs.some((c) => c.run_id === run) && !cs.some((c) => c.run_id === run && c.endedAt === null) ? true : null;
    };
    type Runs = { runs: Array<{ run_id: string; parked: boolean }>; discards: Array<{ runs: string[]; policy: string; removed: number }> };
    const runs = async () => (await (await fetch(`${workers.get('w4')!.url}/runs`)).json()) as Runs;

    await waitFor('run-agent-e between steps', idle('run-agent-e'));
    const killE = await engage('run', 'run-agent-e'); // no queue field: discard
    const notRun = await waitFor('its queued step journaled as not run', () => queueJournal().find((l) => l.type === 'not-run' && l.run_id === 'run-agent-e'));
    expect(notRun.name).toBe('step');
    // The discard is recorded once the timers are cancelled too, after the journal line: wait for it (a busy machine shows the gap).
    expect(await waitFor('the discard recorded', async () => (await runs()).discards.find((d) => d.runs.includes('run-agent-e')))).toMatchObject({ policy: 'discard' });

    await waitFor('run-agent-f between steps', idle('run-agent-f'));
    const killF = await engage('run', 'run-agent-f', 'drain');
    const drained = await waitFor('the drain recorded', async () => (await runs()).discards.find((d) => d.runs.includes('run-agent-f')));
    expect(drained).toMatchObject({ policy: 'drain', removed: 0 });
    // The drained run's queued step is taken, meets the gate and queues nothing new: it parks.
    await waitFor('run-agent-f parked', async () => (await runs()).runs.find((r) => r.run_id === 'run-agent-f' && r.parked));
    expect(queueJournal().filter((l) => l.run_id === 'run-agent-f')).toEqual([]);
    const cs = await calls('w4');
    expect(cs.filter((c) => (c.run_id === 'run-agent-e' && c.startedAt > killE) || (c.run_id === 'run-agent-f' && c.startedAt > killF))).toEqual([]);

    // Release run-agent-e: the discarded step comes back from the queue journal and runs.
    const key = killKey(PREFIX, 'run', 'run-agent-e');
    await t.redis.del(key);
    const releasedAt = nowMs();
    await t.redis.publish(eventsChannel(PREFIX), JSON.stringify({ op: 'release', key, at: releasedAt }));
    await waitFor('its step resumed', () => queueJournal().find((l) => l.type === 'resumed' && l.jobId === notRun.jobId));
    await waitFor('a run-agent-e call after release', async () => (await calls('w4')).find((c) => c.run_id === 'run-agent-e' && c.startedAt > releasedAt && c.endedAt !== null && !c.aborted));
    expect((await runs()).runs.find((r) => r.run_id === 'run-agent-f')!.parked).toBe(true);
  });

  it('a kill with queue drain still removes the delayed retries set before it; none fires after it', async () => {
    type Runs = { retriesSet: number; retriesCancelled: number; retriesFired: number; discards: Array<{ at: number; runs: string[] }> };
    const runs = async () => (await (await fetch(`${workers.get('w5')!.url}/runs`)).json()) as Runs;
    await waitFor('a delayed retry pending', async () => {
      const r = await runs();
      return r.retriesSet > r.retriesFired + r.retriesCancelled;
    });
    const before = await runs();
    const engagedAt = await engage('run', 'run-agent-g', 'drain');
    const seen = await waitFor('the retry removed', async () => {
      const r = await runs();
      return r.retriesCancelled > before.retriesCancelled ? r : null;
    });
    // Every retry set before the flip was due within 3 s: wait that long; none fired.
    await new Promise((r) => setTimeout(r, 3500));
    const after = await runs();
    expect(after.retriesFired).toBe(seen.retriesFired);
    // The worker applied the kill (its queue policy) at `applied`: from then on nothing of the run starts. A call
    // opened in the propagation tail (flip → the worker heard) may have ended before it heard (a 20 ms call under a
    // busy machine's pub/sub delay); one still open afterwards was aborted, not awaited.
    const applied = after.discards.find((d) => d.runs.includes('run-agent-g'))!.at;
    const opened = (await calls('w5')).filter((c) => c.run_id === 'run-agent-g' && c.startedAt > engagedAt);
    expect(opened.filter((c) => c.startedAt > applied)).toEqual([]);
    for (const c of opened) if (c.endedAt === null || c.endedAt > applied) expect(c.aborted, `${c.id} ${c.name} was open after the kill was applied`).toBe(true);
  });

  it('a worker SIGKILLed and restarted empties what its queue held, and its halted run stays halted', async () => {
    const old = workers.get('w1')!.proc;
    old.child.kill('SIGKILL');
    await old.exited;
    await startWorker('w1', { ...quiet, toolWeights: {}, chunks: 40, chunkMs: 100 });
    expect(Number(workers.get('w1')!.proc.ready.leftoverJobs)).toBeGreaterThan(0);
    await waitFor('a run-agent-b call of the new life finished', async () => (await calls('w1')).find((c) => c.run_id === 'run-agent-b' && c.endedAt !== null));
    // run-agent-a's kill key is still set: the new life never calls for it.
    expect((await calls('w1')).filter((c) => c.run_id === 'run-agent-a')).toEqual([]);
  });

  it('fails closed: with Redis gone, the open calls are aborted', async () => {
    const open = await waitFor('an open streaming call of run-agent-b', async () => (await calls('w1')).find((c) => c.run_id === 'run-agent-b' && c.endedAt === null));
    await t.stopRedis();
    const rec = await waitFor('it aborted', async () => (await calls('w1')).find((c) => c.id === open.id && c.aborted));
    expect(rec.abortedAt).not.toBeNull();
    expect((await calls('w1')).filter((c) => c.startedAt > rec.abortedAt!)).toEqual([]);
  });
});
