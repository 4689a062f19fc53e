// `killdrill proxy [--host H] [--port P] [--json]`: the fault proxy as its own process.
// Runs until SIGINT/SIGTERM. Also runnable directly: `node fault-proxy/main.ts --json`.
import { fileURLToPath } from 'node:url';
import { startProxyServer } from './api-server.ts';
import { networkPolicy, type AddressPolicy } from './addresses.ts';

/** Path of this module, for spawning the proxy as its own process (`node <path> --json`). */
export const PROXY_MODULE_PATH = fileURLToPath(import.meta.url);

export const DEFAULT_PROXY_PORT = 8474;

const USAGE = 'usage: killdrill proxy [--host 127.0.0.1] [--port 8474] [--network-names a,b --host 0.0.0.0] [--json]';

export async function proxyMain(argv: string[]): Promise<number> {
  let host = '127.0.0.1';
  let port = DEFAULT_PROXY_PORT;
  let json = false;
  let names: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--host' && i + 1 < argv.length) host = argv[++i];
    // Inside a run's own docker network only (sim up --runtime docker): its container names.
    else if (arg === '--network-names' && i + 1 < argv.length) names = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--port' && i + 1 < argv.length) {
      const text = argv[++i];
      port = Number(text);
      if (!/^\d{1,5}$/.test(text) || port > 65535) {
        process.stderr.write(`killdrill: --port ${text} is not a port number (0-65535)\n${USAGE}\n`);
        return 2;
      }
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else {
      process.stderr.write(`killdrill: unknown argument ${arg}\n${USAGE}\n`);
      return 2;
    }
  }
  let network: AddressPolicy | undefined;
  try {
    if (names) network = networkPolicy(host, names);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
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
