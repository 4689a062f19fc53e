// The docker runtime: the same `sim up --json` as the process runtime, with
// `--runtime docker` — every component in its own container (fleet-sim/docker), from the
// fleet image built here first (docker/build-fleet-image.ts, no registry needed), so the
// build never eats into the fleet's start timeout. Same FleetEndpoints (§8).
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimUp } from './process-runtime.ts';
import { InfraError, type FleetHandle, type FleetRequest, type Runtime } from './types.ts';

function dockerAnswers(): string | null {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    return null;
  } catch (err) {
    return (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
  }
}

const BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docker', 'build-fleet-image.ts');

/**
 * `node docker/build-fleet-image.ts` in a child process: testcontainers must not load in
 * the harness process — its dependency signal-exit (via proper-lockfile) re-raises a
 * SIGINT once the CLI's own `once` handler has run, killing the CLI before it stops the fleet.
 */
function buildFleetImage(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILD], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
      process.stderr.write(d);
    });
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(new InfraError('killdrill: interrupted while the fleet image was building'));
      const tag = out.trim().split(' ')[0];
      if (code === 0 && tag) resolve(tag);
      else reject(new InfraError(err.trim().split('\n').filter((l) => l.startsWith('killdrill:')).pop() ?? `killdrill: building the fleet image failed (exit ${code}): ${err.trim().slice(-500)}; run node docker/build-fleet-image.ts to see why`));
    });
  });
}

export const dockerRuntime: Runtime = {
  name: 'docker',
  async start(req: FleetRequest, signal?: AbortSignal): Promise<FleetHandle> {
    const why = dockerAnswers();
    if (why) throw new InfraError(`killdrill: the docker runtime needs a Docker daemon and none answers (${why}); run docker/ensure-docker.sh or use --runtime process`);
    const image = await buildFleetImage(signal);
    if (signal?.aborted) throw new InfraError('killdrill: interrupted while the fleet image was building');
    return startSimUp(req, signal, { args: ['--runtime', 'docker'], env: { KILLDRILL_FLEET_IMAGE: image, TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true' } });
  },
};
