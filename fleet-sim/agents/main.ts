// An agent worker: `node fleet-sim/agents/main.ts <fleetFile> <host> <worker> [--port N] [--options JSON]`
// runs one root run per topology bot with that host and daemon name. Its control port (127.0.0.1,
// ephemeral unless --port) serves `GET /calls?after=SEQ&limit=N` (finished call records in the
// order they ended, next SEQ, and the open calls), `GET /tasks?after=SEQ` (the queued work: task-log.ts), `GET /runs`
// `GET /queue` (BullMQ job counts, also per run, and how many jobs a discard journaled as not run) and
// `GET /capabilities` (its tools, the LLM's capability, the queue policies it honours) and
// `POST /tasks` (`{"run_id"}`: a task submitted from outside, refused 409 while its run is halted);
// the ready line carries its URL.
import { createServer, type IncomingMessage } from 'node:http';
import { readFleetFile } from '../fleet-file.ts';
import { fatal, onShutdown, reportReady } from '../daemon/process-lifecycle.ts';
import { parseAgentOptions } from './options.ts';
import { AgentWorker } from './worker.ts';
import { LLM_CAPABILITY } from './providers.ts';
import { QUEUE_POLICIES } from '../../contracts/index.ts';
import { HttpError, readBody } from '../broker/http-io.ts';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The largest POST /tasks body read (`{"run_id": "…"}` is far smaller). */
const MAX_TASK_BODY = 4096;

/** POST /tasks `{"run_id": "<run>"}`: 202 accepted (queued), 409 refused (its run is halted), 404 unknown run, 400/413 bad body, 503 the queue did not take it. */
async function submitTask(worker: AgentWorker, req: IncomingMessage, send: (code: number, body: unknown) => void): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_TASK_BODY, '{"run_id": "<run>"}');
  } catch (e) {
    return send(e instanceof HttpError ? e.status : 400, { error: (e as Error).message });
  }
  let o: unknown;
  try {
    o = JSON.parse(raw.toString('utf8'));
  } catch {
    return send(400, { error: 'killdrill: the body is not JSON; send {"run_id": "<run>"} (GET /runs lists the runs)' });
  }
  const keys = o !== null && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : null;
  const runId = keys ? (o as { run_id?: unknown }).run_id : undefined;
  if (!keys || typeof runId !== 'string' || runId === '' || keys.some((k) => k !== 'run_id')) return send(400, { error: 'killdrill: send exactly {"run_id": "<run>"}, a non-empty string (GET /runs lists the runs)' });
  const r = await worker.submit(runId);
  send(r.status, r.body);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [path, host, name] = args;
  if (!path || !host || !name) fatal('killdrill: usage: node fleet-sim/agents/main.ts <fleetFile> <host> <worker> [--port N] [--options JSON]');
  const fleet = readFleetFile(path);
  // The fleet config's `agents` (a scenario's fleet.overrides.agents), then --options on top.
  const fromConfig = fleet.config.agents ? parseAgentOptions(JSON.stringify(fleet.config.agents)) : {};
  const worker = new AgentWorker(fleet, host, name, { ...fromConfig, ...parseAgentOptions(flag(args, '--options')) });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/tasks' && req.method === 'POST') return void submitTask(worker, req, send);
    if (req.method !== 'GET') return send(405, { error: 'killdrill: GET only (and POST /tasks)' });
    if (url.pathname === '/calls') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 10_000);
      if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1) return send(400, { error: 'killdrill: after and limit must be non-negative integers (limit ≥ 1)' });
      return send(200, worker.calls.after(after, limit));
    }
    if (url.pathname === '/tasks') {
      const after = Number(url.searchParams.get('after') ?? 0);
      if (!Number.isInteger(after) || after < 0) return send(400, { error: 'killdrill: after must be a non-negative integer' });
      return send(200, worker.tasks.after(after));
    }
    if (url.pathname === '/runs') {
      const runs = [...worker.runs.values()].map((r) => ({ run_id: r.spec.run_id, parent: r.spec.parent ?? null, steps: r.steps, parked: r.parked, pendingStep: r.pending?.step ?? null }));
      return send(200, { runs, submissions: worker.submissions, timersSet: worker.timersSet, timersCancelled: worker.timersCancelled, timersFired: worker.timersFired, retriesSet: worker.retriesSet, retriesCancelled: worker.retriesCancelled, retriesFired: worker.retriesFired, fanIns: worker.fanIns, discards: worker.discards });
    }
    if (url.pathname === '/capabilities') {
      // What a kill of scope capability can name here besides a run's own: each tool, and the LLM; the queue policies it honours.
      return send(200, { tools: worker.tools.map((t) => ({ name: t.name, access: t.access })), llm: LLM_CAPABILITY, queuePolicies: QUEUE_POLICIES });
    }
    if (url.pathname === '/queue') {
      const at = Date.now();
      Promise.all([worker.queue.counts(), worker.queue.countsByRun()]).then(
        ([counts, byRun]) => send(200, { queue: worker.queue.name, at, counts, byRun, notRun: worker.queue.notRunCount }),
        (e: unknown) => send(503, { error: `killdrill: cannot read the queue (${(e as Error).message}); is Redis up?` }),
      );
      return;
    }
    send(404, { error: `killdrill: no route ${url.pathname}; try /calls?after=0, /tasks?after=0, /runs, /queue, /capabilities or POST /tasks` });
  });
  // Keep idle keep-alive connections longer than a client's idle gap (k6 reuses them): with Node's 5 s
  // default the server closed one just as k6 sent on it, and k6 saw "connection reset by peer".
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = Number(flag(args, '--port') ?? 0);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`killdrill: agent worker cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  onShutdown(() => {
    server.close();
    worker.stop().then(
      () => process.exit(0),
      (e: unknown) => fatal(e),
    );
  });
  await worker.start();
  const p = (server.address() as { port: number }).port;
  reportReady({ component: 'agent-worker', host, worker: name, runs: worker.runs.size, leftoverJobs: worker.leftoverJobs, resumed: worker.resumed, controlUrl: `http://127.0.0.1:${p}`, gatewayConnected: worker.gatewayConnected });
}

main().catch(fatal);
