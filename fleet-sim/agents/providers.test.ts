// The msw providers in this process: a streaming completion read to the end, one aborted
// mid-stream, the error modes, the 60-second tool aborted, a write's commit before an abort,
// and an unknown tool. Every record is checked against what the caller did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupServer } from 'msw/node';
import { CallLog, type CallRecord } from './call-log.ts';
import { COMPLETIONS_URL, FAULT_HEADER, RUN_HEADER, startProviders, toolUrl } from './providers.ts';

const log = new CallLog('t');
const commits: string[] = [];
let server: SetupServer;

beforeAll(() => {
  server = startProviders({
    log,
    chunks: 6,
    chunkMs: 30,
    retryAfterS: 2,
    commit: async (_call, key) => {
      commits.push(key);
      return true;
    },
  });
});
afterAll(() => server.close());

const post = (url: string, run: string, o: { signal?: AbortSignal; fault?: string; body?: unknown } = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [RUN_HEADER]: run, ...(o.fault ? { [FAULT_HEADER]: o.fault } : {}) }, body: JSON.stringify(o.body ?? {}), signal: o.signal });

function record(run: string): CallRecord {
  const p = log.after(0);
  const r = [...p.calls, ...p.open].filter((c) => c.run_id === run);
  expect(r).toHaveLength(1);
  return r[0];
}

async function until(what: string, fn: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !fn(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!fn()) throw new Error(`killdrill: timed out waiting for ${what}`);
}

describe('msw providers', () => {
  it('streams a completion as SSE chunks; read to the end it is not aborted', async () => {
    const r = await post(COMPLETIONS_URL, 'run-full', { body: { model: 'm1', stream: true } });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    const text = await r.text();
    expect(text.match(/^data: \{/gm)).toHaveLength(7);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const rec = record('run-full');
    expect(rec).toMatchObject({ kind: 'llm', name: 'm1', capability: 'llm', status: 200, aborted: false, abortedAt: null });
    expect(rec.endedAt).toBeGreaterThanOrEqual(rec.startedAt);
  });

  it('records an abort mid-stream with its time, after chunks were read', async () => {
    const ac = new AbortController();
    const r = await post(COMPLETIONS_URL, 'run-abort', { signal: ac.signal });
    const reader = r.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: /);
    const abortAt = Date.now();
    ac.abort(new Error('kill'));
    await expect(reader.read()).rejects.toThrow();
    await until('the abort record', () => record('run-abort').aborted);
    const rec = record('run-abort');
    expect(rec.abortedAt).toBeGreaterThanOrEqual(abortAt);
    expect(rec.endedAt).toBe(rec.abortedAt);
  });

  it('answers 429 with retry-after and 500; a stall answers nothing until aborted', async () => {
    const a = await post(COMPLETIONS_URL, 'run-429', { fault: '429' });
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('2');
    expect(record('run-429')).toMatchObject({ status: 429, aborted: false });
    const b = await post(toolUrl('search-docs'), 'run-500', { fault: '500' });
    expect(b.status).toBe(500);
    expect(record('run-500')).toMatchObject({ status: 500, kind: 'tool', aborted: false });
    const ac = new AbortController();
    const stalled = post(COMPLETIONS_URL, 'run-stall', { fault: 'stall', signal: ac.signal });
    await until('the stalled call to open', () => log.after(0).open.some((c) => c.run_id === 'run-stall'));
    expect(record('run-stall').endedAt).toBeNull();
    ac.abort();
    await expect(stalled).rejects.toThrow(/abort/i);
    expect(record('run-stall')).toMatchObject({ status: 'stall', aborted: true });
  });

  it('aborts the 60-second tool; fast reads answer', async () => {
    const r = await post(toolUrl('get-quote'), 'run-read');
    expect(await r.json()).toMatchObject({ tool: 'get-quote', ok: true });
    expect(record('run-read')).toMatchObject({ access: 'read', aborted: false });
    const ac = new AbortController();
    const slow = post(toolUrl('deep-research'), 'run-slow', { signal: ac.signal });
    await until('the slow tool to open', () => log.after(0).open.some((c) => c.run_id === 'run-slow'));
    ac.abort();
    await expect(slow).rejects.toThrow(/abort/i);
    const rec = record('run-slow');
    expect(rec).toMatchObject({ name: 'deep-research', capability: 'deep-research', aborted: true });
    expect(rec.endedAt! - rec.startedAt).toBeLessThan(60_000);
  });

  it('commits a write halfway: aborted after it, the record keeps the effect key', async () => {
    const ac = new AbortController();
    const w = post(toolUrl('place-order'), 'run-write', { signal: ac.signal });
    await until('the commit', () => commits.some((k) => k.startsWith('run-write:')));
    ac.abort();
    await expect(w).rejects.toThrow(/abort/i);
    const rec = record('run-write');
    expect(rec).toMatchObject({ access: 'write', aborted: true, effectKey: commits.find((k) => k.startsWith('run-write:')) });
    const ok = await post(toolUrl('send-email'), 'run-write-2');
    expect(await ok.json()).toMatchObject({ ok: true, effectKey: `run-write-2:${record('run-write-2').id}` });
  });

  it('refuses an unknown tool with the catalog', async () => {
    const r = await post(toolUrl('rm-rf'), 'run-x');
    expect(r.status).toBe(404);
    expect(String(((await r.json()) as { error: string }).error)).toMatch(/^killdrill: unknown tool 'rm-rf'; the catalog has search-docs/);
  });

  it('lets nothing else through to the network', async () => {
    await expect(fetch('http://127.0.0.1:9/x', { method: 'POST' })).rejects.toThrow();
    await expect(fetch(`${COMPLETIONS_URL}/nope`)).rejects.toThrow();
  });

  it('pages finished calls by seq and lists open ones apart', () => {
    const all = log.after(0);
    expect(all.open).toHaveLength(0);
    expect(all.calls.map((c) => c.seq)).toEqual(all.calls.map((_, i) => i + 1));
    const tail = log.after(all.next - 2);
    expect(tail.calls).toHaveLength(2);
    expect(tail.next).toBe(all.next);
  });
});
