// The docker runtime: the same `sim up --json` as the process runtime, with
// `--runtime docker` — every component in its own container (fleet-sim/docker), from the
// fleet image built here first (docker/build-fleet-image.ts, no registry needed), so the
// build never eats into the fleet's start timeout. Same FleetEndpoints (§8).
import { execFileSync } from 'node:child_process';
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

export const dockerRuntime: Runtime = {
  name: 'docker',
  async start(req: FleetRequest, signal?: AbortSignal): Promise<FleetHandle> {
    const why = dockerAnswers();
    if (why) throw new InfraError(`killdrill: the docker runtime needs a Docker daemon and none answers (${why}); run docker/ensure-docker.sh or use --runtime process`);
    let image: string;
    try {
      // Loaded on use: testcontainers is only needed when the docker runtime runs.
      const { ensureFleetImage } = await import('../../docker/build-fleet-image.ts');
      image = await ensureFleetImage((s) => process.stderr.write(`${s}\n`));
    } catch (err) {
      throw new InfraError((err as Error).message);
    }
    if (signal?.aborted) throw new InfraError('killdrill: interrupted while the fleet image was building');
    return startSimUp(req, signal, { args: ['--runtime', 'docker'], env: { KILLDRILL_FLEET_IMAGE: image, TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true' } });
  },
};
