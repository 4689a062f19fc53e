// Benchmark of the fault proxy (prints figures; not a test).
//   node bench/proxy.ts [--rounds 5000] [--mb 2048]
// The proxy runs as its own process (as in a drill). Measures, in the same run:
//  1. added latency per hop: small request/response round trips over one persistent
//     connection, through the proxy vs direct to the same echo server (p50/p99);
//  2. single-stream throughput with no toxics: one connection pushing bytes through the
//     proxy into a sink process, vs the same direct.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Socket } from 'node:net';
import { PROXY_MODULE_PATH } from '../fault-proxy/index.ts';
import { connectTo, listenPort, startEcho } from '../fault-proxy/test-helpers.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const ROUNDS = arg('rounds', 5000);
const MEGABYTES = arg('mb', 2048);

function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`killdrill: bench child exited early (${code})`)));
  });
}

const SINK_SCRIPT = `
const net = require('node:net');
const srv = net.createServer((s) => {
  let n = 0; const t0 = performance.now();
  s.on('data', (d) => { n += d.length; });
  s.on('end', () => { s.end(JSON.stringify({ bytes: n, ms: performance.now() - t0 })); });
});
srv.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: srv.address().port })));
`;

async function roundTrips(port: number, rounds: number): Promise<number[]> {
  const s = await connectTo(port);
  const msg = Buffer.alloc(64, 1);
  const samples: number[] = [];
  await new Promise<void>((resolve) => {
    let got = 0;
    let t0 = 0;
    const send = (): void => {
      t0 = performance.now();
      s.write(msg);
    };
    s.on('data', (d: Buffer) => {
      got += d.length;
      if (got < msg.length) return;
      got -= msg.length;
      samples.push(performance.now() - t0);
      if (samples.length >= rounds) resolve();
      else send();
    });
    send();
  });
  s.destroy();
  return samples;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function throughput(port: number, megabytes: number): Promise<{ mbPerS: number; bytes: number }> {
  const s: Socket = await connectTo(port);
  const block = Buffer.alloc(1 << 20, 3);
  const t0 = performance.now();
  let reply = '';
  s.on('data', (d: Buffer) => (reply += d.toString()));
  const closed = new Promise<void>((resolve) => s.on('close', () => resolve()));
  for (let i = 0; i < megabytes; i++) {
    if (!s.write(block)) await new Promise((r) => s.once('drain', r));
  }
  s.end();
  await closed;
  const seconds = (performance.now() - t0) / 1000;
  const { bytes } = JSON.parse(reply) as { bytes: number };
  return { mbPerS: bytes / 1e6 / seconds, bytes };
}

async function main(): Promise<void> {
  const node = process.execPath;
  const proxy = spawn(node, [PROXY_MODULE_PATH, '--json', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const sink = spawn(node, ['-e', SINK_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const echo = await startEcho();
  try {
    const { url } = JSON.parse(await readyLine(proxy)) as { url: string };
    const { port: sinkPort } = JSON.parse(await readyLine(sink)) as { port: number };
    const make = async (name: string, upstreamPort: number): Promise<number> => {
      const res = await fetch(`${url}/proxies`, {
        method: 'POST',
        body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }),
      });
      return listenPort(((await res.json()) as { listen: string }).listen);
    };
    const echoProxy = await make('echo', echo.port);
    const sinkProxy = await make('sink', sinkPort);

    // Warm up, then interleave blocks so both paths see the same machine load.
    await roundTrips(echo.port, 500);
    await roundTrips(echoProxy, 500);
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let i = 0; i < 5; i++) {
      direct.push(...(await roundTrips(echo.port, ROUNDS / 5)));
      proxied.push(...(await roundTrips(echoProxy, ROUNDS / 5)));
    }
    const d50 = percentile(direct, 50);
    const d99 = percentile(direct, 99);
    const p50 = percentile(proxied, 50);
    const p99 = percentile(proxied, 99);
    console.log(`round trips (64 B, ${ROUNDS} each, one persistent connection)`);
    console.log(`  direct   p50 ${(d50 * 1000).toFixed(0)} µs  p99 ${(d99 * 1000).toFixed(0)} µs`);
    console.log(`  proxied  p50 ${(p50 * 1000).toFixed(0)} µs  p99 ${(p99 * 1000).toFixed(0)} µs`);
    console.log(
      `  added per hop: p50 ${((p50 - d50) * 1000).toFixed(0)} µs, p99 ${((p99 - d99) * 1000).toFixed(0)} µs (target p50 <= 300 µs)`,
    );

    const directTp = await throughput(sinkPort, MEGABYTES);
    const proxiedTp = await throughput(sinkProxy, MEGABYTES);
    console.log(`single-stream throughput, no toxics (${MEGABYTES} MiB)`);
    console.log(`  direct   ${directTp.mbPerS.toFixed(0)} MB/s`);
    console.log(`  proxied  ${proxiedTp.mbPerS.toFixed(0)} MB/s (target >= 500 MB/s)`);
    if (proxiedTp.bytes !== MEGABYTES * 2 ** 20) throw new Error(`killdrill: sink got ${proxiedTp.bytes} bytes`);
  } finally {
    proxy.kill('SIGTERM');
    sink.kill('SIGTERM');
    await echo.close();
  }
}

await main();
