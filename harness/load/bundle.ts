// A k6 script written in TypeScript → one ES2017 module k6 runs (k6 0.48 has no TypeScript and
// rejects `?.`/`??`; the bundle runs on current k6 too). The harness's options (the scenario's
// rate as a k6 executor, its thresholds) replace the script's own `scenarios`; its thresholds are kept.
import { build } from 'esbuild';
import { dirname } from 'node:path';

export async function bundleK6Script(script: string, options: Record<string, unknown>, outfile: string): Promise<void> {
  const own = JSON.stringify(script);
  const ours = JSON.stringify(options);
  const entry = [
    `import * as script from ${own};`,
    `export * from ${own};`,
    `export { default } from ${own};`,
    `const ours = ${ours};`,
    'const theirs = script.options || {};',
    'export const options = Object.assign({}, theirs, ours, { thresholds: Object.assign({}, theirs.thresholds, ours.thresholds) });',
  ].join('\n');
  try {
    await build({
      stdin: { contents: entry, resolveDir: dirname(script), sourcefile: 'killdrill-k6-entry.js', loader: 'js' },
      bundle: true,
      format: 'esm',
      target: 'es2017',
      platform: 'neutral',
      external: ['k6', 'k6/*'],
      outfile,
      logLevel: 'silent',
    });
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    const what = errors?.length ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('; ') : String(err);
    throw new Error(`killdrill: the k6 script ${script} could not be bundled: ${what}; fix the script (npx tsc -p load checks the shipped ones)`);
  }
}
