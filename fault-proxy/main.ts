// `killdrill proxy` (options: proxySpec below): the fault proxy as its own process.
// Runs until SIGINT/SIGTERM. Also runnable directly: `node fault-proxy/main.ts --json`.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { startProxyServer } from './api-server.ts';
import { networkPolicy, type AddressPolicy } from './addresses.ts';
import { parseOrExit, type CommandSpec } from '../lib/cli.ts';

/** Path of this module, for spawning the proxy as its own process (`node <path> --json`). */
export const PROXY_MODULE_PATH = fileURLToPath(import.meta.url);

export const DEFAULT_PROXY_PORT = 8474;

export const proxySpec: CommandSpec = {
  name: 'killdrill proxy',
  summary: 'Run the Toxiproxy-compatible fault proxy (Toxiproxy 2.12 API) on its own, until SIGINT or SIGTERM.',
  options: {
    host: { type: 'string', value: 'H', help: 'address of the API and of the proxies (default: 127.0.0.1)' },
    port: { type: 'string', value: 'P', help: `port of the API, 0 for any free one (default: ${DEFAULT_PROXY_PORT})` },
    'network-names': { type: 'string', value: 'a,b', help: "inside a run's docker network only (with --host 0.0.0.0): the container names upstreams may dial" },
    json: { type: 'boolean', help: 'print {"ready":true,"url":…} as one JSON line when listening' },
  },
  epilogue: 'exit codes: 0 stopped by a signal, 1 could not start, 2 invalid input',
};

/**
 * Young-generation GCs (scavenges) on the main thread alone. A parallel scavenge hands work to
 * V8's helper threads and waits for them; on a busy machine those threads wait for a core, and
 * the pause, which stalls every connection, grows from ~0.3 ms to 4–7 ms (bench/proxy.ts --busy 2
 * --probe, docs/benchmarks.md). The proxy's young generation is small and almost nothing
 * survives it, so one thread does it as fast. Left alone when the command line sets it.
 */
export function scavengeOnMainThread(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /parallel[-_]scavenge|single[-_]threaded/.test(a))) return false;
  setFlagsFromString('--no-parallel-scavenge');
  return true;
}

export async function proxyMain(argv: string[]): Promise<number> {
  scavengeOnMainThread();
  const p = parseOrExit(proxySpec, argv);
  if (typeof p === 'number') return p;
  const v = p.values as Record<string, string | undefined>;
  const host = v.host ?? '127.0.0.1';
  const json = p.values.json === true;
  // Inside a run's own docker network only (sim up --runtime docker): its container names.
  const names = v['network-names'] === undefined ? null : v['network-names'].split(',').map((s) => s.trim()).filter(Boolean);
  let port = DEFAULT_PROXY_PORT;
  if (v.port !== undefined) {
    port = Number(v.port);
    if (!/^\d{1,5}$/.test(v.port) || port > 65535) {
      process.stderr.write(`killdrill: --port ${v.port} is not a port number (0-65535); give one, or 0 for any free port\n`);
      return 2;
    }
  }
  let network: AddressPolicy | undefined;
  try {
    if (names) network = networkPolicy(host, names);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  let server;
  try {
    server = await startProxyServer({ host, port, network });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? `port ${port} is in use; pass --port 0 or another port` : e.message.replace(/^killdrill: /, '');
    process.stderr.write(`killdrill: fault proxy could not start: ${why}\n`);
    return 1;
  }
  if (json) process.stdout.write(`${JSON.stringify({ ready: true, url: server.url })}\n`);
  else process.stdout.write(`killdrill fault proxy (Toxiproxy 2.12 API) listening on ${server.url}\n`);
  const handle = server;
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void handle.close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  proxyMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`killdrill: fault proxy crashed: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
