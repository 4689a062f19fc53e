// Which files import from fleet-sim/ (DESIGN.md §1: a checker never borrows a definition from the
// fleet it judges). Imports are read with the TypeScript compiler's own pre-processor, so every
// form counts: `import`, `import type`, `export … from`, `import()` and `require()`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface FleetImport {
  file: string;
  specifier: string;
  line: number;
}

/** The specifiers one source text imports, with their 1-based lines. */
export function importsOf(sourceText: string): Array<{ specifier: string; line: number }> {
  const info = ts.preProcessFile(sourceText, true, true);
  const lineOf = (pos: number) => sourceText.slice(0, pos).split('\n').length;
  return info.importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos) }));
}

/** Imports of `file` (its text given) that resolve into `fleetDir`, relative or by package-style path. */
export function fleetImportsOf(file: string, sourceText: string, fleetDir: string): FleetImport[] {
  const root = resolve(fleetDir);
  return importsOf(sourceText)
    .filter(({ specifier }) => {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        return target === root || target.startsWith(root + sep);
      }
      return specifier === 'fleet-sim' || specifier.startsWith('fleet-sim/');
    })
    .map(({ specifier, line }) => ({ file, specifier, line }));
}

/** Every .ts file under `dir` (recursively) that imports from `fleetDir`. */
export function scanForFleetImports(dir: string, fleetDir: string): FleetImport[] {
  const out: FleetImport[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(...fleetImportsOf(p, readFileSync(p, 'utf8'), fleetDir));
    }
  };
  walk(dir);
  return out;
}

export const describeImport = (x: FleetImport, base: string) => `${relative(base, x.file)}:${x.line} imports '${x.specifier}'`;

/**
 * Like scanForFleetImports, but through every relative import the files under `dir` (tests aside)
 * reach: a checker that imports a harness module that imports fleet-sim borrows from the fleet too.
 * Each hit names the chain from the checker file.
 */
export function scanReachableFleetImports(dir: string, fleetDir: string): Array<FleetImport & { via: string[] }> {
  const out: Array<FleetImport & { via: string[] }> = [];
  const starts: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) starts.push(p);
    }
  };
  walk(dir);
  const seen = new Map<string, string[]>(starts.map((s) => [s, [s]]));
  const queue = [...starts];
  while (queue.length) {
    const file = queue.shift()!;
    const text = readFileSync(file, 'utf8');
    const via = seen.get(file)!;
    for (const hit of fleetImportsOf(file, text, fleetDir)) out.push({ ...hit, via });
    for (const { specifier } of importsOf(text)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (seen.has(target) || !target.endsWith('.ts')) continue;
      try {
        if (!statSync(target).isFile()) continue;
      } catch {
        continue;
      }
      seen.set(target, [...via, target]);
      queue.push(target);
    }
  }
  return out;
}
