// The default runtime: the fleet as local processes, started through the same
// observable interface a user has — `killdrill sim up --json` — in a child process.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { HARNESS_ENV, ownerTag } from '../../contracts/index.ts';
import { PORT_BLOCK_ENV } from '../../lib/ports.ts';
import { InfraError, type FleetEndpoints, type FleetHandle, type FleetRequest, type Runtime } from './types.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'main.ts');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/** How a runtime starts `sim up --json`: extra arguments and environment (the docker runtime adds `--runtime docker`). */
export interface SimUpOptions {
  args?: string[];
  env?: Record<string, string>;
}

export const processRuntime: Runtime = {
  name: 'process',
  start: (req: FleetRequest, signal?: AbortSignal) => startSimUp(req, signal),
};

/** Start `killdrill sim up --json` in a child process and wait for its endpoints line. */
export async function startSimUp(req: FleetRequest, signal?: AbortSignal, opts: SimUpOptions = {}): Promise<FleetHandle> {
  mkdirSync(req.dataDir, { recursive: true });
  const configFile = join(req.dataDir, 'fleet-request.json');
  writeFileSync(
    configFile,
    JSON.stringify({ preset: req.preset, ...(req.bots ? { bots: req.bots } : {}), bugs: req.bugs ?? [], ...req.overrides, dataDir: req.dataDir }, null, 2),
  );
  const child = spawn(process.execPath, [CLI, 'sim', 'up', '--json', '--config', configFile, ...(opts.args ?? [])], {
    // stdin is a pipe we never close: if this harness dies, even by SIGKILL,
    // the fleet sees EOF and stops itself.
    stdio: ['pipe', 'pipe', 'pipe'],
    // Every process of the run carries this harness (contracts/owner.ts): if it dies, the next `sim up` reaps the run.
    env: { ...process.env, ...opts.env, KILLDRILL_RUN_ID: req.runId, [HARNESS_ENV]: ownerTag(), ...(req.portBlock ? { [PORT_BLOCK_ENV]: `${req.portBlock.index}/${req.portBlock.of}` } : {}) },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-8000);
  });
  let exitReason: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, sig) => {
      exitReason = `fleet process exited (code ${code}, signal ${sig})${stderr ? `: ${stderr.trim().split('\n').slice(-5).join(' | ')}` : ''}`;
      resolve();
    });
  });
  const lines = createInterface({ input: child.stdout });
  const endpoints = await new Promise<FleetEndpoints>((resolve, reject) => {
    const timer = setTimeout(() => reject(new InfraError(`killdrill: the fleet did not report ready within ${START_TIMEOUT_MS / 1000} s; ${stderr.trim().slice(-500)}`)), START_TIMEOUT_MS);
    const onAbort = () => {
      clearTimeout(timer); // a pending timer would keep the harness alive after the run ended
      reject(new InfraError('killdrill: interrupted while the fleet was starting'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as FleetEndpoints);
      } catch {
        reject(new InfraError(`killdrill: the fleet printed an unreadable first line: ${line.slice(0, 200)}`));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new InfraError(`killdrill: the fleet could not start: ${exitReason}`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGTERM');
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (wait = setTimeout(r, STOP_TIMEOUT_MS)))]);
    clearTimeout(wait);
    throw err;
  });
  // What an earlier run left (its harness SIGKILLed, its fleet still stopping or stuck): `sim up` found it by run id and killed it.
  const dead = endpoints.reaped;
  if (dead?.pids.length) process.stderr.write(`killdrill: killed ${dead.pids.length} leftover process(es) of dead run(s) ${dead.runIds.join(', ')}\n`);
  // Keep draining stdout so the child never blocks on a full pipe.
  lines.on('line', () => {});
  return {
    endpoints,
    exited: () => exitReason,
    async stop() {
      if (exitReason) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
