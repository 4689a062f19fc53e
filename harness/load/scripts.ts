// `load.k6.script`: the name of a script shipped in load/ (e.g. `broker-ui` → load/broker-ui.ts), or a
// path to the user's own (.ts or .js), relative to the scenario file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOAD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'load');
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The scripts shipped in load/ (their names). */
export function shippedScripts(): string[] {
  try {
    return readdirSync(LOAD_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('.test.')).map((f) => f.slice(0, -3)).sort();
  } catch {
    return [];
  }
}

/** The script's absolute path, or why it cannot be used. */
export function resolveScript(script: string, scenarioFile: string): { path: string } | { error: string } {
  if (NAME.test(script)) {
    const path = join(LOAD_DIR, `${script}.ts`);
    if (existsSync(path)) return { path };
    return { error: `no shipped k6 script is named '${script}' (load/ has: ${shippedScripts().join(', ') || 'none'}); name one of them, or give a path to your own script (.ts or .js, relative to the scenario file)` };
  }
  if (!/\.(ts|js|mjs)$/.test(script)) return { error: `'${script}' is neither a shipped script's name (${shippedScripts().join(', ')}) nor a path to a .ts or .js file` };
  const path = resolve(dirname(scenarioFile), script);
  if (!existsSync(path) || !statSync(path).isFile()) return { error: `the k6 script ${path} does not exist (a path is relative to the scenario file)` };
  return { path };
}
