// `k6 run` as a child of the case (same process group: a Ctrl-C reaches it too), its json output
// read as it streams and recorded as one `load` op a second (k6-seconds.ts); stopped at the end of
// the case, also on error or abort (SIGINT, then SIGKILL). docs/load.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs } from '../../contracts/index.ts';
import { bundleK6Script } from './bundle.ts';
import { k6Seconds } from './k6-seconds.ts';
import { k6Scenario, type RateProfile } from './profile.ts';
import { crossedThresholds } from './summary.ts';
import type { FromPeak } from './peak.ts';

export interface K6Plan {
  /** As written in the scenario (a shipped script's name or a path). */
  script: string;
  /** Its absolute path. */
  scriptPath: string;
  profile: RateProfile;
  /** A `2x-peak` rate: the factor and the target's declared peak it multiplies (peak.ts). */
  fromPeak?: FromPeak;
  vus?: number;
  thresholds: Record<string, string[]>;
}

export interface LoadRun {
  pid: number;
  /** Resolves once k6 sent its first request (true), or exited before it did (false). */
  sending: Promise<boolean>;
  /** Why k6 exited by itself (its last lines), or null while it runs. */
  exited(): string | null;
  /** Stop k6 (if still running), read the rest of its output, record `load-end`. Idempotent. */
  stop(): Promise<void>;
}

type Emit = (op: { type: string } & Record<string, unknown>) => void;

const POLL_MS = 250;
const STOP_WAIT_MS = 10_000;

export async function startK6(o: { plan: K6Plan; k6: string; runDir: string; holdMs: number; env: Record<string, string>; emit: Emit }): Promise<LoadRun> {
  const { plan, runDir, emit } = o;
  const bundle = join(runDir, 'k6-script.js');
  const out = join(runDir, 'k6.json');
  const summary = join(runDir, 'k6-summary.json');
  // systemTags: fewer tags a sample (no url, name, proto, group) keep k6.json about 40 % smaller; a script's own tags stay.
  const options = { scenarios: { killdrill: k6Scenario(plan.profile, o.holdMs, plan.vus) }, thresholds: plan.thresholds, systemTags: ['status', 'method', 'expected_response', 'error', 'error_code', 'scenario'] };
  await bundleK6Script(plan.scriptPath, options, bundle);
  const log = createWriteStream(join(runDir, 'k6.log'));
  const args = ['run', '--no-color', '--quiet', '--out', `json=${out}`, '--summary-export', summary, bundle];
  const child: ChildProcess = spawn(o.k6, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...o.env } }); // no report to k6's servers: a drill sends nothing anywhere but the target
  let tail = '';
  const keep = (d: Buffer) => {
    log.write(d);
    tail = (tail + d.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: { code: number | null; signal: string | null; at: number } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal, at: nowMs() };
      resolve();
    });
    child.on('error', (err) => {
      exit ??= { code: null, signal: null, at: nowMs() };
      tail += `\n${err.message}`;
      resolve();
    });
  });
  emit({ type: 'load-start', at: nowMs(), tool: 'k6', script: plan.script, profile: plan.profile, ...(plan.fromPeak ? { fromPeak: plan.fromPeak } : {}), thresholds: plan.thresholds, pid: child.pid ?? null, args: args.slice(0, -1) });

  const seconds = k6Seconds();
  let offset = 0;
  let rest = '';
  let running = false;
  let onSending: (v: boolean) => void = () => {};
  const sending = new Promise<boolean>((r) => (onSending = r));
  void exited.then(() => onSending(false));
  const read = () => {
    if (!existsSync(out)) return;
    const fd = openSync(out, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, offset);
        if (n <= 0) break;
        offset += n;
        const lines = (rest + buf.subarray(0, n).toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) seconds.line(l);
      }
    } finally {
      closeSync(fd);
    }
    const first = seconds.firstAt();
    if (!running && first !== null) {
      running = true;
      emit({ type: 'load-running', at: first });
      onSending(true);
    }
  };
  const timer = setInterval(() => {
    try {
      read();
      for (const op of seconds.flush(nowMs())) emit(op as unknown as { type: string });
    } catch {
      // read again next tick; the final read in stop() reports what is left
    }
  }, POLL_MS);

  let stopping: Promise<void> | null = null;
  const stop = async () => {
    clearInterval(timer);
    const byHarness = exit === null;
    if (exit === null) {
      child.kill('SIGINT'); // k6 stops its executors and writes the summary
      let t: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (t = setTimeout(r, STOP_WAIT_MS)))]);
      clearTimeout(t);
      if (exit === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    const e = exit as unknown as { code: number | null; signal: string | null; at: number };
    read();
    if (rest) seconds.line(rest);
    for (const op of seconds.end(e.at)) emit(op as unknown as { type: string });
    log.end();
    const crossed = crossedThresholds(summary);
    // k6 exits 99 when a threshold is crossed; stopped by SIGINT it exits 105, so the summary export says.
    emit({
      type: 'load-end',
      at: e.at,
      stoppedBy: byHarness ? 'harness' : 'itself',
      exitCode: e.code,
      signal: e.signal,
      thresholdsCrossed: crossed ?? [],
      ...(crossed === null ? { summaryMissing: true } : {}),
      late: seconds.late(),
      ...(byHarness && (e.code === 0 || e.code === 105 || e.code === 99) ? {} : { error: `k6 ${byHarness ? "was stopped" : "exited by itself"} (code ${e.code}, signal ${e.signal}): ${tail.trim().split('\n').slice(-3).join(' | ')}` }),
    });
  };
  return {
    pid: child.pid ?? -1,
    sending,
    exited: () => (exit === null ? null : `k6 exited (code ${(exit as { code: number | null }).code}): ${tail.trim().split('\n').slice(-3).join(' | ')}`),
    stop: () => (stopping ??= stop()),
  };
}

