// Each fleet process's module bundled into one ESM file with esbuild, so a fleet's ~23 Node
// processes do not each resolve, read and type-strip the same hundreds of files (ioredis,
// @kubernetes/client-node and our own) at boot: the start of a fleet is bound by CPU on a
// 2-core machine (docs/benchmarks.md). The code that runs is the same code:
// - `import.meta.url`/`dirname`/`filename` in every bundled file (ours and the packages') keep
//   naming the source file (so paths computed from them, and assets read beside them, do not
//   move to the bundle's directory);
// - a bundle is reused only while every input esbuild read has the same content (sha-256 of
//   each input, recorded beside the bundle) and this file too: an edited source, or an edited
//   way of bundling, is never run stale;
// - any failure to bundle falls back to running the source module (and says so once).
// `KILLDRILL_BUNDLE=0` turns bundling off (the fleet then runs its .ts files as before).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODULES, REPO_DIR } from './paths.ts';

/** The fleet's node modules that are bundled (the fault proxy runs from source: it is small, and checks argv[1] to run as main). */
export const BUNDLED_MODULES: readonly string[] = [MODULES.broker, MODULES.operator, MODULES.apiserver, MODULES.bots, MODULES.agents, MODULES.watchdog, MODULES.gateway, MODULES.venue, MODULES.supervisor];

const BANNER = "import { createRequire as __kdCreateRequire } from 'node:module'; const require = __kdCreateRequire(import.meta.url);";

interface Manifest {
  bundle: string;
  inputs: Record<string, string>;
  /** sha-256 of this file when the bundle was built: a change to how bundles are made rebuilds them. */
  bundler?: string;
}

const BUNDLER = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');

function sha(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha-256 of a repo file's content, read once per call of bundleModules (bundles share inputs). */
function fileHash(rel: string, memo: Map<string, string>): string {
  let h = memo.get(rel);
  if (h === undefined) memo.set(rel, (h = sha(readFileSync(join(REPO_DIR, rel)))));
  return h;
}

function bundleDir(): string {
  return process.env.KILLDRILL_BUNDLE_DIR ?? join(tmpdir(), 'killdrill-bundles');
}

/** The manifest's bundle, when every input still has the content it was bundled from. */
function fresh(manifestFile: string, memo: Map<string, string>): string | null {
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (m.bundler !== BUNDLER) return null;
    for (const [file, hash] of Object.entries(m.inputs)) if (fileHash(file, memo) !== hash) return null;
    if (!existsSync(m.bundle)) return null;
  } catch {
    return null;
  }
  return m.bundle;
}

/** Rewrites import.meta.* in every bundled file to the source file's own values. */
const keepSourceMeta = {
  name: 'keep-source-import-meta',
  setup(build: { onLoad: (o: { filter: RegExp }, cb: (a: { path: string }) => { contents: string; loader: 'ts' | 'js' } | undefined) => void }) {
    // Packages too: @mswjs/interceptors (the agent workers' msw) reads its llhttp.wasm beside its own file.
    build.onLoad({ filter: /\.(ts|js|mjs)$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes('import.meta')) return undefined;
      const contents = src
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/** Bundles of this module built from older sources, untouched for a day (a fleet still running one keeps it). */
function prune(dir: string, key: string, keep: string): void {
  for (const f of readdirSync(dir)) {
    const file = join(dir, f);
    if (!f.startsWith(`${key}-`) || !f.endsWith('.mjs') || file === keep) continue;
    try {
      if (Date.now() - statSync(file).mtimeMs > 86_400_000) unlinkSync(file);
    } catch {
      // another start pruned it first
    }
  }
}

async function build(module: string, dir: string, key: string): Promise<string> {
  const { build: esbuild } = await import('esbuild');
  const out = join(dir, `${key}-${process.pid}-${Date.now()}.mjs`);
  const r = await esbuild({
    entryPoints: [module],
    absWorkingDir: REPO_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: out,
    metafile: true,
    logLevel: 'silent',
    banner: { js: BANNER },
    plugins: [keepSourceMeta],
  });
  const inputs: Record<string, string> = {};
  for (const file of Object.keys(r.metafile.inputs)) {
    const rel = relative(REPO_DIR, join(REPO_DIR, file));
    inputs[rel] = sha(readFileSync(join(REPO_DIR, rel)));
  }
  const final = join(dir, `${key}-${sha(JSON.stringify(inputs)).slice(0, 16)}.mjs`);
  renameSync(out, final);
  prune(dir, key, final);
  const manifest = join(dir, `${key}.json`);
  writeFileSync(`${manifest}.${process.pid}`, JSON.stringify({ bundle: final, inputs, bundler: BUNDLER } satisfies Manifest));
  renameSync(`${manifest}.${process.pid}`, manifest);
  return final;
}

/**
 * Bundles for these modules (absolute paths): a map module → bundle file, fresh or built now.
 * A module that cannot be bundled is left out (it runs from source); `onError` hears why.
 */
export async function bundleModules(modules: readonly string[], onError: (msg: string) => void = () => {}): Promise<Record<string, string>> {
  if (process.env.KILLDRILL_BUNDLE === '0') return {};
  const dir = bundleDir();
  mkdirSync(dir, { recursive: true });
  const out: Record<string, string> = {};
  const memo = new Map<string, string>();
  await Promise.all(
    [...new Set(modules)].map(async (module) => {
      const key = `${basename(dirname(module))}-${basename(module).replace(/\.[^.]+$/, '')}-${sha(module).slice(0, 8)}`;
      try {
        out[module] = fresh(join(dir, `${key}.json`), memo) ?? (await build(module, dir, key));
      } catch (err) {
        onError(`killdrill: could not bundle ${relative(REPO_DIR, module)} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); it runs from source`);
      }
    }),
  );
  return out;
}
