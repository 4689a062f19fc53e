// The fleet image `killdrill-fleet:<hash>` from docker/Dockerfile, built with testcontainers
// (GenericContainer.fromDockerfile) on the base image; rebuilt only when an input changes
// (base tag, APP_DIR, Dockerfile, .dockerignore, fleet-sim/, fault-proxy/, contracts/, lib/, the lockfiles).
// Run directly to build it: `node docker/build-fleet-image.ts`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBaseImage, imageExists, pruneOlder, REPO_DIR } from './build-base-image.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const { GenericContainer } = await import('testcontainers');

const SOURCES = ['docker/Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'fleet-sim', 'fault-proxy', 'contracts', 'lib'];

function addTree(h: ReturnType<typeof createHash>, path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const e of readdirSync(path).sort()) addTree(h, join(path, e));
    return;
  }
  h.update(`${relative(REPO_DIR, path)}\0`);
  h.update(readFileSync(path));
}

export function fleetImageTag(base: string, appDir: string): string {
  const h = createHash('sha256').update(`${base}\0${appDir}\0`);
  for (const s of SOURCES) addTree(h, join(REPO_DIR, s));
  return `killdrill-fleet:${h.digest('hex').slice(0, 16)}`;
}

/**
 * Build (or reuse) the fleet image. `base` defaults to KILLDRILL_BASE_IMAGE, else the
 * registry-free base built from this host. APP_DIR is this repo's path (see Dockerfile).
 */
export async function ensureFleetImage(log: (s: string) => void = () => {}, base = process.env.KILLDRILL_BASE_IMAGE || ensureBaseImage(log)): Promise<string> {
  const tag = fleetImageTag(base, REPO_DIR);
  if (imageExists(tag)) return tag;
  log(`killdrill: building the fleet image ${tag} FROM ${base}`);
  try {
    await GenericContainer.fromDockerfile(REPO_DIR, 'docker/Dockerfile')
      .withBuildArgs({ BASE: base, APP_DIR: REPO_DIR })
      .withPullPolicy({ shouldPull: () => false })
      .build(tag, { deleteOnExit: false });
  } catch (err) {
    throw new Error(`killdrill: building the fleet image from docker/Dockerfile failed: ${(err as Error).message}; run docker/ensure-docker.sh, then node docker/build-fleet-image.ts to see the build output`);
  }
  pruneOlder('killdrill-fleet', tag);
  return tag;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  try {
    const tag = await ensureFleetImage((s) => process.stderr.write(`${s}\n`));
    process.stdout.write(`${tag} (${Date.now() - t0} ms)\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
