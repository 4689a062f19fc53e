// The registry-free base image: a rootfs built from this host's own binaries — the
// project's Node 24, redis-server, /bin/sh (dash) and the shared libraries they load
// (ldd) — given to `docker import` as `killdrill-base:<content hash>`. Rebuilt only when
// an input changes. Run directly to build it: `node docker/build-base-image.ts`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const RECIPE_VERSION = '1';

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

/** The host binaries that go into the image: target path in the image → host path. */
export function baseInputs(): Record<string, string> {
  const node = join(REPO_DIR, 'node_modules', 'node', 'bin', 'node');
  const nodeBin = existsSync(node) ? node : process.execPath;
  const redis = ['/usr/bin/redis-server', which('redis-server')].find((p): p is string => !!p && existsSync(p));
  if (!redis) throw new Error('killdrill: redis-server not found on this host; install it (Debian/Ubuntu: apt-get install redis-server) so the base image can be built from it');
  const sh = ['/bin/dash', '/usr/bin/dash', '/bin/sh'].find((p) => existsSync(p));
  if (!sh) throw new Error('killdrill: no /bin/sh (dash) on this host to put in the base image; install dash');
  const files: Record<string, string> = { '/usr/local/bin/node': nodeBin, '/usr/bin/redis-server': redis, '/bin/sh': sh };
  for (const bin of [nodeBin, redis, sh]) for (const lib of sharedLibs(bin)) files[lib] = lib;
  return files;
}

/** Absolute paths of the shared libraries (and the loader) `ldd` says a binary loads. */
function sharedLibs(bin: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [bin], { encoding: 'utf8' });
  } catch (err) {
    throw new Error(`killdrill: ldd ${bin} failed (${(err as Error).message}); install libc-bin so the base image can list the libraries it needs`);
  }
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

function hashInputs(files: Record<string, string>): string {
  const h = createHash('sha256').update(`recipe ${RECIPE_VERSION}\n`);
  for (const target of Object.keys(files).sort()) {
    h.update(`${target}\0`);
    h.update(readFileSync(files[target]));
  }
  return h.digest('hex').slice(0, 16);
}

export function imageExists(tag: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Remove older tags of `repo` (best effort; an image a container still uses stays). */
export function pruneOlder(repo: string, keep: string): void {
  let tags: string[];
  try {
    tags = execFileSync('docker', ['images', repo, '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).split('\n').filter((t) => t && t !== keep);
  } catch {
    return;
  }
  for (const t of tags) {
    try {
      execFileSync('docker', ['rmi', t], { stdio: 'ignore' });
    } catch {
      // in use or already gone
    }
  }
}

/** Build (or reuse) `killdrill-base:<hash>`; returns the tag. */
export function ensureBaseImage(log: (s: string) => void = () => {}): string {
  const files = baseInputs();
  const tag = `killdrill-base:${hashInputs(files)}`;
  if (imageExists(tag)) return tag;
  log(`killdrill: building the base image ${tag} from this host's node and redis-server (no registry needed)`);
  const root = mkdtempSync(join(tmpdir(), 'killdrill-rootfs-'));
  try {
    for (const [target, source] of Object.entries(files)) {
      mkdirSync(join(root, dirname(target)), { recursive: true });
      copyFileSync(source, join(root, target));
      chmodSync(join(root, target), 0o755);
    }
    for (const d of ['tmp', 'root', 'proc', 'sys', 'dev', 'etc', 'data']) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n');
    writeFileSync(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    writeFileSync(join(root, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
    const tar = join(tmpdir(), `${root.split('/').pop()}.tar`);
    try {
      execFileSync('tar', ['-C', root, '--numeric-owner', '--owner=0', '--group=0', '-cf', tar, '.']);
      execFileSync('docker', ['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', '--change', 'CMD ["/usr/local/bin/node"]', '--message', 'killdrill base from host binaries', tar, tag], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`killdrill: docker import of the base image failed: ${stderr || (err as Error).message}; run docker/ensure-docker.sh and try again`);
    } finally {
      rmSync(tar, { force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  pruneOlder('killdrill-base', tag);
  return tag;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const tag = ensureBaseImage((s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${tag} (${Date.now() - t0} ms)\n`);
}
