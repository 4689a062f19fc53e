import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleModules } from './bundle.ts';
import { BUNDLES_ENV, bundledOr, MODULES, nodeArgv } from './paths.ts';

let dir: string;
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'killdrill-bundle-test-'));
  saved = { ...process.env };
  process.env.KILLDRILL_BUNDLE_DIR = join(dir, 'out');
  delete process.env.KILLDRILL_BUNDLE;
});
afterEach(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

function fixture(depValue: string): { entry: string; dep: string } {
  const entry = join(dir, 'entry.ts');
  const dep = join(dir, 'dep.ts');
  writeFileSync(dep, `export const value: string = ${JSON.stringify(depValue)};\nexport const depUrl = import.meta.url;\n`);
  writeFileSync(entry, `import { value, depUrl } from './dep.ts';\nconsole.log(JSON.stringify({ value, depUrl, url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename }));\n`);
  return { entry, dep };
}
const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as Record<string, string>;

describe('bundleModules', () => {
  it('bundles a module into one file that runs the same code, import.meta naming each source file', async () => {
    const { entry, dep } = fixture('one');
    const map = await bundleModules([entry]);
    expect(map[entry]).toMatch(/\.mjs$/);
    expect(map[entry]).not.toBe(entry);
    const out = run(map[entry]);
    expect(out).toEqual({ value: 'one', depUrl: pathToFileURL(dep).href, url: pathToFileURL(entry).href, dirname: dir, filename: entry });
  });

  it("keeps a package's import.meta.url naming its own file, so an asset read beside it is found (msw's llhttp.wasm)", async () => {
    const pkg = join(dir, 'node_modules', 'asset-pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'asset-pkg', type: 'module', main: 'index.js' }));
    writeFileSync(join(pkg, 'asset.txt'), 'beside the package');
    writeFileSync(join(pkg, 'index.js'), "import { readFileSync } from 'node:fs';\nexport const asset = readFileSync(new URL('./asset.txt', import.meta.url), 'utf8');\n");
    const entry = join(dir, 'uses-pkg.ts');
    writeFileSync(entry, "import { asset } from 'asset-pkg';\nconsole.log(JSON.stringify({ asset }));\n");
    const map = await bundleModules([entry]);
    expect(map[entry]).toMatch(/\.mjs$/);
    expect(run(map[entry])).toEqual({ asset: 'beside the package' });
  });

  it('reuses a bundle while its inputs are unchanged, and rebuilds when one changes (never runs stale code)', async () => {
    const { entry, dep } = fixture('one');
    const first = (await bundleModules([entry]))[entry];
    const mtime = statSync(first).mtimeMs;
    const again = (await bundleModules([entry]))[entry];
    expect(again).toBe(first);
    expect(statSync(again).mtimeMs).toBe(mtime);
    writeFileSync(dep, `export const value: string = "two";\nexport const depUrl = import.meta.url;\n`);
    const rebuilt = (await bundleModules([entry]))[entry];
    expect(rebuilt).not.toBe(first);
    expect(run(rebuilt).value).toBe('two');
  });

  it('rebuilds a bundle made by another version of the bundler (its manifest names another bundle.ts)', async () => {
    const { entry } = fixture('one');
    const first = (await bundleModules([entry]))[entry];
    const out = join(dir, 'out');
    const manifest = join(out, readdirSync(out).find((f) => f.endsWith('.json'))!);
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), bundler: 'another' }));
    const again = (await bundleModules([entry]))[entry];
    expect(run(again).value).toBe('one');
    expect(JSON.parse(readFileSync(manifest, 'utf8')).bundler).not.toBe('another');
  });

  it('leaves out a module it cannot bundle, saying why (it then runs from source)', async () => {
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, 'export const = ;\n');
    const { entry } = fixture('one');
    const errors: string[] = [];
    const map = await bundleModules([bad, entry], (m) => errors.push(m));
    expect(Object.keys(map)).toEqual([entry]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^killdrill: could not bundle .*bad\.ts .*; it runs from source$/);
  });

  it('KILLDRILL_BUNDLE=0 bundles nothing', async () => {
    const { entry } = fixture('one');
    process.env.KILLDRILL_BUNDLE = '0';
    expect(await bundleModules([entry])).toEqual({});
  });
});

describe('nodeArgv and bundledOr', () => {
  it('runs the bundle handed down in the environment, else the module; flags stay the module’s own', () => {
    const env = { [BUNDLES_ENV]: JSON.stringify({ [MODULES.bots]: '/b/daemon.mjs' }) };
    expect(bundledOr(MODULES.bots, env)).toBe('/b/daemon.mjs');
    expect(bundledOr(MODULES.broker, env)).toBe(MODULES.broker);
    expect(bundledOr(MODULES.bots, { [BUNDLES_ENV]: 'not json' })).toBe(MODULES.bots);
    expect(bundledOr(MODULES.bots, { [BUNDLES_ENV]: JSON.stringify({ [MODULES.bots]: 7 }) })).toBe(MODULES.bots);
    expect(bundledOr(MODULES.bots, {})).toBe(MODULES.bots);
    process.env[BUNDLES_ENV] = env[BUNDLES_ENV];
    const argv = nodeArgv(MODULES.bots, ['x']);
    expect(argv.slice(-2)).toEqual(['/b/daemon.mjs', 'x']);
    expect(argv).toContain('--max-semi-space-size=4'); // the daemon's data-path flags, not the default ones
  });
});
