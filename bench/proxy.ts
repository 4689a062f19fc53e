// Benchmark of the fault proxy against the real Toxiproxy, side by side in one run (prints
// figures; not a test).
//   node bench/proxy.ts [--rounds 20000] [--blocks 20] [--mb 512] [--streams 3] [--busy N] [--probe] [--dump FILE]
//     [--before REF [--before-flags '…']]
// killdrill's proxy runs as its own process with the V8 flags a fleet gives it (fleetNodeFlags;
// KILLDRILL_NODE_FLAGS overrides them), toxiproxy-server (from PATH) as its own; the echo server
// and the sink are child processes too. Each proxy gets the same two proxies over its HTTP API.
//  1. Added latency per hop: 64-byte round trips on one persistent connection per path (direct,
//     killdrill, toxiproxy), in `--blocks` blocks whose order rotates, so all three see the same
//     machine. Added = percentile through the proxy − the same percentile direct.
//  2. Single-stream throughput, no toxics: `--streams` runs of `--mb` MiB per path, alternating.
//  3. Proxy CPU (utime+stime of the whole process from /proc/PID/stat, every thread) per GiB
//     streamed and per round trip.
// `--busy N` starts N CPU-burning processes (nice 0, each in its own session, as other work on
// the machine is) for the whole run. The machine's load is printed: load average before and
// after, and the CPU the machine spent outside this bench during it (/proc/stat).
// `--before REF` adds killdrill's proxy as it was at git REF (fault-proxy/ and lib/ from `git archive`,
// same flags, or `--before-flags '…'`) as a fourth path, so a change is measured against the old
// code in the same run.
// `--probe` loads fault-proxy/loop-probe.ts into killdrill's proxy and prints its event-loop
// delay, GC pauses and loop utilization per phase (warm-up, round trips, streams).
// `--dump FILE` writes every round trip's start (process.hrtime ms) and time, and the probe's lines.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { PROXY_MODULE_PATH } from '../fault-proxy/index.ts';
import { startRealToxiproxy } from '../fault-proxy/real-toxiproxy.ts';
import { connectTo, listenPort } from '../fault-proxy/test-helpers.ts';
import { fleetNodeFlags, MODULES } from '../fleet-sim/orchestrator/paths.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const ROUNDS = arg('rounds', 20000);
const BLOCKS = arg('blocks', 20);
const MEGABYTES = arg('mb', 512);
const STREAMS = arg('streams', 3);
const BUSY = arg('busy', 0);
const PROBE = process.argv.includes('--probe');
const BEFORE = process.argv.includes('--before') ? process.argv[process.argv.indexOf('--before') + 1] : undefined;
const BEFORE_FLAGS = process.argv.includes('--before-flags') ? process.argv[process.argv.indexOf('--before-flags') + 1].split(' ').filter(Boolean) : undefined;
const DUMP = process.argv.includes('--dump') ? process.argv[process.argv.indexOf('--dump') + 1] : undefined;
const PROBE_PATH = fileURLToPath(new URL('../fault-proxy/loop-probe.ts', import.meta.url));

const ECHO_SCRIPT = `
const net = require('node:net');
const srv = net.createServer({ noDelay: true }, (s) => { s.on('error', () => {}); s.pipe(s); });
srv.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: srv.address().port })));
`;
// Reports each connection's byte count on stdout when it ends: through a proxy the reply to
// a half-close is lost (neither proxy has half-close), so the count cannot come back on the socket.
const SINK_SCRIPT = `
const net = require('node:net');
const srv = net.createServer((s) => {
  let n = 0;
  s.on('error', () => {});
  s.on('data', (d) => { n += d.length; });
  s.on('close', () => console.log(JSON.stringify({ bytes: n })));
});
srv.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: srv.address().port })));
`;
const BURN_SCRIPT = 'for (;;) {}';

function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`killdrill: bench child exited early (${code})`)));
  });
}

/** CPU seconds of one process, all its threads (utime + stime, USER_HZ 100). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** The machine's busy and total CPU seconds so far (/proc/stat, all cores). */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - f[3] - f[4]) / 100, total: total / 100 };
}

/** Start times of the round trips (process.hrtime, CLOCK_MONOTONIC: comparable across processes), for --dump. */
const starts = new Map<Socket, number[]>();

function roundTrips(s: Socket, rounds: number): Promise<number[]> {
  const msg = Buffer.alloc(64, 1);
  const samples: number[] = [];
  return new Promise<number[]>((resolve) => {
    let got = 0;
    let t0 = 0;
    const send = (): void => {
      t0 = performance.now();
      if (DUMP) starts.get(s)?.push(Number(process.hrtime.bigint()) / 1e6);
      s.write(msg);
    };
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got < msg.length) return;
      got -= msg.length;
      samples.push(performance.now() - t0);
      if (samples.length < rounds) return send();
      s.off('data', onData);
      resolve(samples);
    };
    s.on('data', onData);
    send();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Pushes `megabytes` MiB through `port` into the sink; timed until the sink reports them all. */
async function stream(port: number, megabytes: number, sinkLines: AsyncIterator<string>): Promise<{ mbPerS: number; bytes: number }> {
  const s: Socket = await connectTo(port);
  s.on('error', () => {});
  const block = Buffer.alloc(1 << 20, 3);
  const t0 = performance.now();
  for (let i = 0; i < megabytes; i++) {
    if (!s.write(block)) await new Promise((r) => s.once('drain', r));
  }
  s.end();
  const line = await sinkLines.next();
  const seconds = (performance.now() - t0) / 1000;
  s.destroy();
  const { bytes } = JSON.parse(String(line.value)) as { bytes: number };
  if (bytes !== megabytes * 2 ** 20) throw new Error(`killdrill: sink got ${bytes} bytes of ${megabytes * 2 ** 20}`);
  return { mbPerS: bytes / 1e6 / seconds, bytes };
}

interface Path {
  name: string;
  pid?: number;
  echoPort: number;
  sinkPort: number;
  rtt: number[];
  rttCpu: number;
  mbPerS: number[];
  streamCpu: number;
  streamBytes: number;
}

async function makeProxies(url: string, echoPort: number, sinkPort: number): Promise<{ echo: number; sink: number }> {
  const make = async (name: string, upstreamPort: number): Promise<number> => {
    const res = await fetch(`${url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}`, enabled: true }),
    });
    if (res.status !== 201) throw new Error(`killdrill: ${url} answered ${res.status} to creating proxy ${name}: ${await res.text()}`);
    return listenPort(((await res.json()) as { listen: string }).listen);
  };
  return { echo: await make('bench_echo', echoPort), sink: await make('bench_sink', sinkPort) };
}

/** fault-proxy/ and lib/ as they were at `ref`, in a temporary directory; the path of its main.ts. */
function proxyAt(ref: string, dir: string): string {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const tar = execFileSync('git', ['-C', repo, 'archive', ref, 'fault-proxy', 'lib']);
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'fault-proxy', 'main.ts');
}

const us = (ms: number): string => `${(ms * 1000).toFixed(0)}`;

async function main(): Promise<void> {
  const node = process.execPath;
  const flags = fleetNodeFlags(MODULES.proxy);
  const children: ChildProcess[] = [];
  const child = (args: string[], detached = false): ChildProcess => {
    const c = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], detached });
    children.push(c);
    return c;
  };
  const load0 = loadavg();
  const burners = Array.from({ length: BUSY }, () => child(['-e', BURN_SCRIPT], true));
  for (const b of burners) {
    try {
      setPriority(b.pid as number, 0);
    } catch {
      // not allowed to raise it (the bench runs niced): the burners keep the bench's nice
    }
  }
  const proxyArgs = [...flags, ...(PROBE ? ['--import', PROBE_PATH] : []), PROXY_MODULE_PATH, '--json', '--port', '0'];
  const killdrill = child(proxyArgs);
  const beforeDir = BEFORE ? mkdtempSync(join(tmpdir(), 'proxybench-')) : undefined;
  const old = BEFORE && beforeDir ? child([...(BEFORE_FLAGS ?? flags), proxyAt(BEFORE, beforeDir), '--json', '--port', '0']) : undefined;
  old?.stderr?.pipe(process.stderr);
  const probeLines: string[] = [];
  let probeWaiter: (() => void) | undefined;
  createInterface({ input: killdrill.stderr! }).on('line', (l) => {
    if (!l.startsWith('{"probe"')) return void process.stderr.write(`${l}\n`);
    probeLines.push(l);
    probeWaiter?.();
  });
  /** Asks the probe for what it saw since the last ask; resolves once its line is in. */
  const probe = (): Promise<void> | undefined => {
    if (!PROBE) return;
    const got = new Promise<void>((r) => (probeWaiter = r));
    killdrill.kill('SIGUSR2');
    return got;
  };
  const echo = child(['-e', ECHO_SCRIPT]);
  const sink = child(['-e', SINK_SCRIPT]);
  const toxiproxy = await startRealToxiproxy();
  try {
    const { url } = JSON.parse(await readyLine(killdrill)) as { url: string };
    const { port: echoPort } = JSON.parse(await readyLine(echo)) as { port: number };
    const sinkLines = createInterface({ input: sink.stdout! })[Symbol.asyncIterator]();
    const { port: sinkPort } = JSON.parse(String((await sinkLines.next()).value)) as { port: number };
    const kd = await makeProxies(url, echoPort, sinkPort);
    const tp = await makeProxies(toxiproxy.url, echoPort, sinkPort);
    const oldUrl = old ? (JSON.parse(await readyLine(old)) as { url: string }).url : undefined;
    const before = oldUrl ? await makeProxies(oldUrl, echoPort, sinkPort) : undefined;
    const path = (name: string, pid: number | undefined, ports: { echo: number; sink: number }): Path => ({
      name,
      pid,
      echoPort: ports.echo,
      sinkPort: ports.sink,
      rtt: [],
      rttCpu: 0,
      mbPerS: [],
      streamCpu: 0,
      streamBytes: 0,
    });
    const paths: Path[] = [
      path('direct', undefined, { echo: echoPort, sink: sinkPort }),
      path('killdrill', killdrill.pid, kd),
      path('toxiproxy', toxiproxy.pid, tp),
    ];
    if (old && before) paths.push(path(`killdrill@${BEFORE}`, old.pid, before));
    const sockets = await Promise.all(paths.map((p) => connectTo(p.echoPort)));
    const cpu0 = machineCpu();
    const own0 = ownCpu(children, toxiproxy.pid);
    const t0 = performance.now();
    // Warm-up (not counted), then the timed blocks in rotating order.
    for (const s of sockets) await roundTrips(s, 1000);
    await probe();
    for (const s of sockets) starts.set(s, []);
    const perBlock = Math.ceil(ROUNDS / BLOCKS);
    for (let b = 0; b < BLOCKS; b++) {
      for (let k = 0; k < paths.length; k++) {
        const i = (b + k) % paths.length;
        const p = paths[i];
        const c0 = p.pid ? cpuSeconds(p.pid) : 0;
        p.rtt.push(...(await roundTrips(sockets[i], perBlock)));
        if (p.pid) p.rttCpu += cpuSeconds(p.pid) - c0;
      }
    }
    await probe();
    if (DUMP) {
      const rows = paths.map((p, i) => ({ name: p.name, start: starts.get(sockets[i]), rtt: p.rtt }));
      writeFileSync(DUMP, JSON.stringify({ paths: rows, probe: probeLines }));
    }
    for (const s of sockets) s.destroy();
    for (let r = 0; r < STREAMS; r++) {
      for (let k = 0; k < paths.length; k++) {
        const p = paths[(r + k) % paths.length];
        const c0 = p.pid ? cpuSeconds(p.pid) : 0;
        const res = await stream(p.sinkPort, MEGABYTES, sinkLines);
        if (p.pid) p.streamCpu += cpuSeconds(p.pid) - c0;
        p.mbPerS.push(res.mbPerS);
        p.streamBytes += res.bytes;
      }
    }
    await probe();
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = machineCpu();
    const own1 = ownCpu(children, toxiproxy.pid);
    const load1 = loadavg();
    report(paths, { seconds, load0, load1, machineBusy: cpu1.busy - cpu0.busy, own: own1 - own0, flags, probeLines });
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await toxiproxy.close();
    if (beforeDir) rmSync(beforeDir, { recursive: true, force: true });
  }
}

/** CPU seconds of this bench and every process it started (the burners included). */
function ownCpu(children: ChildProcess[], toxiproxyPid: number): number {
  const u = process.cpuUsage();
  let sum = (u.user + u.system) / 1e6;
  for (const pid of [...children.map((c) => c.pid as number), toxiproxyPid]) {
    try {
      sum += cpuSeconds(pid);
    } catch {
      // gone
    }
  }
  return sum;
}

function report(
  paths: Path[],
  run: { seconds: number; load0: number[]; load1: number[]; machineBusy: number; own: number; flags: string[]; probeLines: string[] },
): void {
  const [direct, ...proxies] = paths;
  const others = (run.machineBusy - run.own) / run.seconds;
  console.log(
    `machine: load average ${run.load0.map((l) => l.toFixed(2)).join(' ')} before, ${run.load1.map((l) => l.toFixed(2)).join(' ')} after; ` +
      `${BUSY} burner(s); outside this bench the machine used ${(others * 100).toFixed(0)} % of one core on average over ${run.seconds.toFixed(1)} s`,
  );
  console.log(`killdrill proxy node flags: ${run.flags.join(' ') || '(none)'}${BEFORE ? `; killdrill@${BEFORE}: ${(BEFORE_FLAGS ?? run.flags).join(' ') || '(none)'}` : ''}`);
  console.log(`round trips: 64 B, ${direct.rtt.length} per path, ${BLOCKS} blocks in rotating order, one persistent connection per path`);
  const stats = (rtt: number[]) => {
    const s = [...rtt].sort((a, b) => a - b);
    return { p50: percentile(s, 50), p99: percentile(s, 99), p999: percentile(s, 99.9), max: s[s.length - 1], over1ms: s.filter((x) => x > 1).length };
  };
  const line = (x: ReturnType<typeof stats>): string =>
    `p50 ${us(x.p50)}  p99 ${us(x.p99)}  p99.9 ${us(x.p999)}  max ${us(x.max)} µs  (${x.over1ms} over 1 ms)`;
  const d = stats(direct.rtt);
  console.log(`  ${'direct'.padEnd(17)}  ${line(d)}`);
  for (const p of proxies) {
    const x = stats(p.rtt);
    console.log(
      `  ${p.name.padEnd(17)}  ${line(x)}  added per hop p50 ${us(x.p50 - d.p50)} / p99 ${us(x.p99 - d.p99)} / p99.9 ${us(x.p999 - d.p999)} µs  ` +
        `proxy CPU ${((p.rttCpu / p.rtt.length) * 1e6).toFixed(0)} µs per round trip`,
    );
  }
  console.log(`single-stream throughput, no toxics: ${STREAMS} × ${MEGABYTES} MiB per path, alternating`);
  for (const p of paths) {
    const mean = p.mbPerS.reduce((a, b) => a + b, 0) / p.mbPerS.length;
    const cpu = p.pid ? `  proxy CPU ${(p.streamCpu / (p.streamBytes / 2 ** 30)).toFixed(2)} s per GiB` : '';
    console.log(`  ${p.name.padEnd(17)}  ${mean.toFixed(0)} MB/s (runs ${p.mbPerS.map((x) => x.toFixed(0)).join(', ')})${cpu}`);
  }
  const phases = ['warm-up', 'round trips', 'streams'];
  run.probeLines.forEach((l, i) => console.log(`killdrill proxy probe, ${phases[i] ?? '?'}: ${l}`));
}

await main();
