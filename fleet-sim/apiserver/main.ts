// The apiserver process.
//   node fleet-sim/apiserver/main.ts <fleet.json>        (as the fleet starts it)
//   node fleet-sim/apiserver/main.ts --port 0 [--token T] [--data-dir D] [--kubeconfig P] [--history N]
// Binds 127.0.0.1, writes the kubeconfig, then prints one JSON line
// {"ready":true,"url":…,"port":…,"kubeconfig":…}. SIGTERM/SIGINT: snapshot, exit 0.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bindHost, readFleetFile } from '../fleet-file.ts';
import { startApiServer } from './server.ts';
import { writeKubeconfig } from './kubeconfig.ts';

function fail(msg: string): never {
  process.stderr.write(`killdrill: apiserver: ${msg}\n`);
  process.exit(3);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { port: { type: 'string' }, token: { type: 'string' }, 'data-dir': { type: 'string' }, kubeconfig: { type: 'string' }, history: { type: 'string' } },
    });
  } catch (err) {
    fail(`${(err as Error).message}; usage: main.ts <fleet.json> | --port N [--token T] [--data-dir D] [--kubeconfig P] [--history N]`);
  }
  const v = args.values;
  let port = v.port !== undefined ? Number(v.port) : undefined;
  let token = v.token;
  let dataDir = v['data-dir'];
  let kubeconfig = v.kubeconfig;
  let host = '127.0.0.1';
  /** In the run's docker network: a second kubeconfig for the components in it (the operator). */
  let netKubeconfig: { path: string; host: string } | null = null;
  const fleetPath = args.positionals[0];
  if (fleetPath) {
    let file;
    try {
      file = readFleetFile(fleetPath);
    } catch (err) {
      fail(`cannot read fleet file ${fleetPath}: ${(err as Error).message}`);
    }
    if (port === undefined) {
      if (file.ports.apiserver === undefined) fail(`fleet file ${fleetPath} has no ports.apiserver; the orchestrator must pick one`);
      port = file.ports.apiserver;
    }
    token ??= file.token;
    dataDir ??= file.config.dataDir;
    kubeconfig ??= file.kubeconfig ?? join(file.config.dataDir, 'kubeconfig');
    host = bindHost(file);
    if (file.net?.kubeconfig) netKubeconfig = { path: file.net.kubeconfig, host: file.net.aliases.apiserver };
  } else if (port === undefined) fail('give a fleet file or --port (0 = any free port)');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got ${v.port}`);
  const history = v.history !== undefined ? Number(v.history) : undefined;
  if (history !== undefined && (!Number.isInteger(history) || history < 1)) fail(`--history must be a positive integer, got ${v.history}`);
  let server;
  try {
    server = await startApiServer({ host, port, token, historyLimit: history, snapshotPath: dataDir ? join(dataDir, 'apiserver.json') : undefined });
  } catch (err) {
    fail(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  if (netKubeconfig) writeKubeconfig(netKubeconfig.path, server.port, token ?? 'killdrill', netKubeconfig.host);
  if (kubeconfig) writeKubeconfig(kubeconfig, server.port, token ?? 'killdrill');
  process.stdout.write(JSON.stringify({ ready: true, url: server.url, port: server.port, kubeconfig: kubeconfig ?? null }) + '\n');
  const stop = () => {
    server.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
