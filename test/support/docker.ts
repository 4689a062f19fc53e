// Docker for the docker-runtime tests: the CLI, what a run left labelled, and the fleet
// image (built without a registry). No Docker daemon is a failure, never a skip.
import { execFileSync } from 'node:child_process';

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000 }).trim();
}

/** Containers and networks labelled killdrill.run=<runId> (without a run id: of any run), by name. */
export function labelled(runId?: string): string[] {
  const f = runId === undefined ? 'label=killdrill.run' : `label=killdrill.run=${runId}`;
  return [...docker('ps', '-a', '--filter', f, '--format', '{{.Names}}').split('\n'), ...docker('network', 'ls', '--filter', f, '--format', '{{.Name}}').split('\n')].filter(Boolean);
}

/** Fails when no daemon answers; builds (or reuses) the fleet image and returns its tag. */
export async function requireDockerFleetImage(): Promise<string> {
  try {
    docker('info', '--format', '{{.ServerVersion}}');
  } catch (err) {
    throw new Error(`killdrill: no Docker daemon answers (${(err as Error).message}); run docker/ensure-docker.sh — the docker suite is never skipped`);
  }
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const { ensureFleetImage } = await import('../../docker/build-fleet-image.ts');
  return ensureFleetImage();
}
