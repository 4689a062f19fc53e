// The LLM and tool providers an agent worker calls (issue 14 item 2), simulated by msw handlers
// the worker installs in its own process with `setupServer`: no network. A streaming
// chat-completions endpoint (SSE chunks as a ReadableStream, spaced by msw `delay`), tool
// endpoints from the catalog (fast reads, writes, a 60-second tool) and error modes (429 with
// retry-after, 500, stall). Every handler records its call in the CallLog from what it sees of
// `request.signal`: an abort by the caller is recorded with its time, whether the caller ever
// reads the body again or not.
import { delay, http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { nowMs } from '../model.ts';
import type { Rng } from '../daemon/prng.ts';
import type { CallKind, CallLog, CallRecord, CallStatus, ToolAccess } from './call-log.ts';

/** Hosts that never resolve: if msw is not installed, a call fails instead of reaching anything. */
export const LLM_BASE = 'http://llm.killdrill.invalid';
export const TOOLS_BASE = 'http://tools.killdrill.invalid';
export const COMPLETIONS_URL = `${LLM_BASE}/v1/chat/completions`;
export const toolUrl = (name: string): string => `${TOOLS_BASE}/tools/${encodeURIComponent(name)}`;
/** Request headers the worker sets: the run the call belongs to, and (tests) a forced error mode. */
export const RUN_HEADER = 'x-run-id';
/** A write's idempotency key, when the caller has one (the run's plan); else the handler makes one per call. */
export const KEY_HEADER = 'x-idempotency-key';
export const FAULT_HEADER = 'x-killdrill-fault';

export interface ToolSpec {
  name: string;
  access: ToolAccess;
  /** How long the tool takes to answer. A write's side effect is committed halfway through. */
  ms: number;
}

/** Tool names are their capabilities (kill key `capability:<name>`); the LLM's is `llm`. */
export const LLM_CAPABILITY = 'llm';
export const TOOL_CATALOG: readonly ToolSpec[] = [
  { name: 'search-docs', access: 'read', ms: 80 },
  { name: 'get-quote', access: 'read', ms: 40 },
  { name: 'place-order', access: 'write', ms: 400 },
  { name: 'send-email', access: 'write', ms: 300 },
  { name: 'deep-research', access: 'read', ms: 60_000 },
];

export type Fault = 'none' | '429' | '500' | 'stall';

export interface ProviderOptions {
  log: CallLog;
  tools?: readonly ToolSpec[];
  /** SSE chunks per completion (a request's `max_tokens` lowers it) and the gap between them. */
  chunks?: number;
  chunkMs?: number;
  /** Error rates per call (0..1) and the rng that draws them; the FAULT_HEADER overrides. */
  faults?: { rate429?: number; rate500?: number; rateStall?: number; rng: Rng; /** Which calls the rates apply to (default both). */ kinds?: readonly CallKind[] };
  /** The retry-after a 429 carries, in seconds. */
  retryAfterS?: number;
  /**
   * A write tool's side effect, sent through the execution boundary by the worker. Called once
   * per write call, halfway through, with the effect's idempotency key (already on the record as
   * `effectKey`: the request's KEY_HEADER, else `<run_id>:<call id>`); resolves whether it landed. An abort after this point
   * leaves the effect landed.
   */
  commit?: (call: CallRecord, effectKey: string, body: unknown) => Promise<boolean>;
}

const FAULTS: readonly Fault[] = ['none', '429', '500', 'stall'];

function pickFault(o: ProviderOptions, header: string | null, kind: CallKind): Fault {
  if (header && (FAULTS as readonly string[]).includes(header)) return header as Fault;
  const f = o.faults;
  if (!f || (f.kinds && !f.kinds.includes(kind))) return 'none';
  const x = f.rng();
  const r429 = f.rate429 ?? 0;
  const r500 = f.rate500 ?? 0;
  if (x < r429) return '429';
  if (x < r429 + r500) return '500';
  if (x < r429 + r500 + (f.rateStall ?? 0)) return 'stall';
  return 'none';
}

/** Waits `ms` (msw `delay`) unless `signal` aborts first; true when the time ran out. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort = () => {};
  const aborted = new Promise<false>((r) => {
    onAbort = () => r(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Long waits get their own timer (cleared on abort) so an aborted 60-second tool leaves nothing pending.
  if (ms > 1000) {
    let t: NodeJS.Timeout | undefined;
    const done = await Promise.race([aborted, new Promise<true>((r) => (t = setTimeout(() => r(true), ms)))]);
    clearTimeout(t);
    signal.removeEventListener('abort', onAbort);
    return done;
  }
  const done = await Promise.race([aborted, delay(ms).then(() => true as const)]);
  signal.removeEventListener('abort', onAbort);
  return done;
}

/** Opens the call's record and marks it aborted the moment the caller aborts. */
function track(o: ProviderOptions, request: Request, r: Omit<CallRecord, 'id' | 'endedAt' | 'aborted' | 'abortedAt' | 'seq' | 'startedAt' | 'run_id'>): CallRecord {
  const rec = o.log.open({ ...r, run_id: request.headers.get(RUN_HEADER) ?? '', startedAt: nowMs() });
  const onAbort = () => {
    const at = nowMs();
    o.log.abort(rec, at);
    o.log.end(rec, at);
  };
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener('abort', onAbort, { once: true });
  return rec;
}

/** The answer of an error mode, or null to go on; a stall waits until the caller aborts. */
async function faultAnswer(o: ProviderOptions, request: Request, rec: CallRecord, fault: Fault): Promise<Response | null> {
  if (fault === 'none') return null;
  if (fault === 'stall') {
    await wait(2 ** 31 - 1, request.signal);
    return HttpResponse.text('', { status: 504 }); // only reached on abort: the caller is gone
  }
  o.log.end(rec, nowMs());
  if (fault === '429') return HttpResponse.json({ error: { type: 'rate_limit', message: 'slow down' } }, { status: 429, headers: { 'retry-after': String(o.retryAfterS ?? 1) } });
  return HttpResponse.json({ error: { type: 'server_error', message: 'upstream failed' } }, { status: 500 });
}

function completionsHandler(o: ProviderOptions) {
  return http.post(COMPLETIONS_URL, async ({ request }) => {
    const body = (await request.json().catch(() => ({}))) as { model?: string; max_tokens?: number };
    const fault = pickFault(o, request.headers.get(FAULT_HEADER), 'llm');
    const rec = track(o, request, { kind: 'llm', name: body.model ?? 'sim-model', capability: LLM_CAPABILITY, status: (fault === 'none' ? 200 : fault === 'stall' ? 'stall' : Number(fault)) as CallStatus });
    const early = await faultAnswer(o, request, rec, fault);
    if (early) return early;
    const n = Math.max(1, Math.min(o.chunks ?? 8, body.max_tokens ?? Infinity));
    const gap = o.chunkMs ?? 50;
    const enc = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(c) {
        for (let i = 0; i < n; i++) {
          if (!(await wait(i === 0 ? 0 : gap, request.signal))) return; // aborted: the record already says so
          c.enqueue(enc.encode(`data: ${JSON.stringify({ id: rec.id, choices: [{ index: 0, delta: { content: `tok${i} ` } }] })}\n\n`));
        }
        c.enqueue(enc.encode(`data: ${JSON.stringify({ id: rec.id, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`));
        c.close();
        o.log.end(rec, nowMs());
      },
    });
    // `transfer-encoding: chunked` explicitly: without it the body is delimited by the end of the
    // (emulated) connection, and Node 24's fetch asserts (`!this.aborted`, process crash) when
    // the caller aborts mid-stream and that connection closes (msw 3.0.5, seen here).
    return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' } });
  });
}

function toolHandler(o: ProviderOptions) {
  const tools = new Map((o.tools ?? TOOL_CATALOG).map((t) => [t.name, t]));
  return http.post(`${TOOLS_BASE}/tools/:name`, async ({ request, params }) => {
    const spec = tools.get(String(params.name));
    if (!spec) return HttpResponse.json({ error: `killdrill: unknown tool '${String(params.name)}'; the catalog has ${[...tools.keys()].join(', ')}` }, { status: 404 });
    const body = await request.json().catch(() => ({}));
    const fault = pickFault(o, request.headers.get(FAULT_HEADER), 'tool');
    const rec = track(o, request, { kind: 'tool', name: spec.name, capability: spec.name, access: spec.access, status: (fault === 'none' ? 200 : fault === 'stall' ? 'stall' : Number(fault)) as CallStatus });
    const early = await faultAnswer(o, request, rec, fault);
    if (early) return early;
    const half = spec.access === 'write' ? spec.ms / 2 : spec.ms;
    if (!(await wait(half, request.signal))) return HttpResponse.text('', { status: 499 });
    let landed = false;
    if (spec.access === 'write') {
      // The side effect leaves now; the rest of the call (confirmation, rendering) comes after it.
      // The caller's idempotency key (the run's plan: run-journal.ts), else one per call.
      rec.effectKey = request.headers.get(KEY_HEADER) || `${rec.run_id}:${rec.id}`;
      landed = o.commit ? await o.commit(rec, rec.effectKey, body) : false;
      if (!(await wait(spec.ms - half, request.signal))) return HttpResponse.text('', { status: 499 });
    }
    o.log.end(rec, nowMs());
    return HttpResponse.json({ id: rec.id, tool: spec.name, ok: spec.access === 'read' || landed, ...(rec.effectKey ? { effectKey: rec.effectKey } : {}) });
  });
}

export function providerHandlers(o: ProviderOptions) {
  return [completionsHandler(o), toolHandler(o)];
}

/** Installs the providers in this process; any other request errors (nothing goes to the network). */
export function startProviders(o: ProviderOptions): SetupServer {
  const server = setupServer(...providerHandlers(o));
  server.listen({ onUnhandledFrame: 'error' });
  return server;
}
