// The agents observer against two stand-in control APIs over real HTTP: finished calls and task
// lines become agent-call / agent-task ops once each (paged by their cursors), the calls still
// open at the last look are recorded open, the queue is read at T+0 and once more (before the
// release here, labelled so), and a worker that stops answering is a failed read, never dropped.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeAgents } from './observe-agents.ts';

const call = (id: string, seq: number, endedAt: number | null) => ({ id, run_id: 'run-a', kind: 'tool', name: 'place-order', capability: 'place-order', access: 'write', status: 200, startedAt: 100, endedAt, aborted: endedAt !== null, abortedAt: endedAt, seq });
let servers: Server[] = [];
const state = { w1Up: true, done: [call('w1-1', 1, 150)], open: [call('w1-2', 0, null)] };

function serve(handler: (path: string) => unknown): Promise<string> {
  const s = createServer((req, res) => {
    const body = handler(req.url ?? '/');
    if (body === null) return void (res.writeHead(503), res.end('{}'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  servers.push(s);
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as { port: number }).port}`)));
}

let urls: Record<string, string>;
beforeAll(async () => {
  const w1 = await serve((path) => {
    const u = new URL(path, 'http://x');
    const after = Number(u.searchParams.get('after') ?? 0);
    if (u.pathname === '/calls') { const calls = state.done.filter((c) => c.seq > after); return { calls, next: calls.at(-1)?.seq ?? after, open: state.open }; }
    if (u.pathname === '/tasks') return after ? { tasks: [], next: after } : { tasks: [{ seq: 1, at: 90, run_id: 'run-a.c1', kind: 'child', event: 'enqueued', parent: 'run-a', dueAt: 90 }], next: 1 };
    if (u.pathname === '/queue') return state.w1Up ? { counts: { waiting: 1 }, byRun: { 'run-a': { waiting: 1 } }, notRun: 0 } : null;
    return null;
  });
  const w2 = await serve((path) => (path.startsWith('/calls') ? { calls: [], next: 0, open: [] } : path.startsWith('/tasks') ? { tasks: [], next: 0 } : { counts: {}, byRun: {}, notRun: 3 }));
  urls = { w1, w2 };
});
afterAll(() => {
  for (const s of servers) s.close();
  servers = [];
});

describe('agents observer', () => {
  it('records calls and tasks once, the open calls at the last look, and the queue at T+0 and before the release', async () => {
    const ops: Array<Record<string, unknown>> = [];
    const errors: unknown[] = [];
    const o = observeAgents(urls, (op) => ops.push(op as Record<string, unknown>), (e) => errors.push(e), () => {}, 20);
    await o.flush();
    await o.flush();
    await o.killConfirmed();
    state.w1Up = false;
    state.done.push(call('w1-2', 2, 400));
    state.open = [];
    await o.laterRead('before-release');
    await o.laterRead('case-end'); // taken already: no third read
    await o.final();
    await o.stop();
    expect(errors).toEqual([]);
    expect(ops[0]).toMatchObject({ type: 'agents-observed', workers: ['w1', 'w2'] });
    const calls = ops.filter((x) => x.type === 'agent-call');
    expect(calls.map((c) => [c.id, c.endedAt, c.open ?? false])).toEqual([['w1-1', 150, false], ['w1-2', 400, false]]);
    expect(ops.filter((x) => x.type === 'agent-task')).toEqual([expect.objectContaining({ worker: 'w1', run: 'run-a.c1', kind: 'child', event: 'enqueued', parent: 'run-a' })]);
    const q = ops.filter((x) => x.type === 'agent-queue');
    expect(q.map((x) => x.label)).toEqual(['T+0', 'before-release']);
    expect(q[0].workers).toEqual([{ worker: 'w1', ok: true, counts: { waiting: 1 }, byRun: { 'run-a': { waiting: 1 } }, notRun: 0 }, { worker: 'w2', ok: true, counts: {}, byRun: {}, notRun: 3 }]);
    expect((q[1].workers as Array<{ ok: boolean; error?: string }>)[0]).toMatchObject({ ok: false, error: expect.stringMatching(/agent worker w1's GET \/queue answered 503/) });
  });

  it('a call still open at the last look is recorded open, with no end', async () => {
    state.open = [call('w1-9', 0, null)];
    const ops: Array<Record<string, unknown>> = [];
    const o = observeAgents({ w1: urls.w1 }, (op) => ops.push(op as Record<string, unknown>), () => {}, () => {}, 1000);
    await o.final();
    await o.stop();
    expect(ops.filter((x) => x.type === 'agent-call' && x.open === true)).toEqual([expect.objectContaining({ id: 'w1-9', endedAt: null, aborted: false })]);
  });
});
