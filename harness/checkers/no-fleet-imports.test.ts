// DESIGN.md §1: no file under harness/checkers/ imports from fleet-sim/ (a shared definition is a shared bug).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeImport, fleetImportsOf, scanForFleetImports, scanReachableFleetImports } from './fleet-imports.ts';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FLEET = join(REPO, 'fleet-sim');
const CHECKERS = join(REPO, 'harness', 'checkers');

describe('harness/checkers imports nothing from fleet-sim/', () => {
  it('no checker file imports fleet-sim (import, import type, export from, import(), require())', () => {
    const found = scanForFleetImports(CHECKERS, FLEET).map((x) => describeImport(x, REPO));
    expect(found).toEqual([]);
  });

  it('nor does any harness module a checker reaches through its imports (history, recorder, spec …)', () => {
    const found = scanReachableFleetImports(CHECKERS, FLEET).map((x) => `${x.via.map((v) => relative(REPO, v)).join(' → ')}: ${describeImport(x, REPO)}`);
    expect(found).toEqual([]);
  });
});

describe('the import scanner', () => {
  const file = join(CHECKERS, 'some-checker.ts');
  it('finds every import form that reaches fleet-sim/, and only those', () => {
    const text = [
      "import { allowedWhileKilled } from '../../fleet-sim/model.ts';",
      "import type { Bot } from '../../fleet-sim/model.ts';",
      "export { DEFAULT_CLASSES } from '../../fleet-sim/model.ts';",
      "const m = await import('../../fleet-sim/daemon/bot-runner.ts');",
      "import x from 'fleet-sim/model.ts';",
      "import { GROUPS } from '../../contracts/index.ts';",
      "import { modeAllows } from './spec/modes.ts';",
      "// import { no } from '../../fleet-sim/model.ts' — a comment is not an import",
      "const s = '../../fleet-sim/model.ts';",
    ].join('\n');
    const hits = fleetImportsOf(file, text, FLEET);
    expect(hits.map((h) => h.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a literal checker that imports fleet-sim makes the rule fail', () => {
    const hits = fleetImportsOf(file, "import type { Mode } from '../../fleet-sim/model.ts';\nexport const x = 1;\n", FLEET);
    expect(hits).toHaveLength(1);
    expect(describeImport(hits[0], REPO)).toBe("harness/checkers/some-checker.ts:1 imports '../../fleet-sim/model.ts'");
  });

  it('a path that only looks like fleet-sim (fleet-sim-extra/, ../fleet-sim from elsewhere) is not flagged', () => {
    expect(fleetImportsOf(file, "import '../../fleet-sim-extra/x.ts';\nimport './fleet-sim/x.ts';\n", FLEET)).toEqual([]);
  });
});

describe('the reachability scan', () => {
  it('finds fleet-sim behind a harness module a checker imports, with the chain', () => {
    const root = mkdtempSync(join(tmpdir(), 'kd-imports-'));
    mkdirSync(join(root, 'harness', 'checkers'), { recursive: true });
    mkdirSync(join(root, 'harness', 'history'), { recursive: true });
    mkdirSync(join(root, 'fleet-sim'), { recursive: true });
    writeFileSync(join(root, 'fleet-sim', 'clock.ts'), 'export const nowMs = () => 0;\n');
    writeFileSync(join(root, 'harness', 'history', 'recorder.ts'), "import { nowMs } from '../../fleet-sim/clock.ts';\nexport const t = nowMs;\n");
    writeFileSync(join(root, 'harness', 'checkers', 'a-checker.ts'), "import { t } from '../history/recorder.ts';\nexport const x = t;\n");
    const hits = scanReachableFleetImports(join(root, 'harness', 'checkers'), join(root, 'fleet-sim'));
    expect(hits).toHaveLength(1);
    expect(hits[0].via.map((v) => relative(root, v))).toEqual(['harness/checkers/a-checker.ts', 'harness/history/recorder.ts']);
    expect(scanForFleetImports(join(root, 'harness', 'checkers'), join(root, 'fleet-sim'))).toEqual([]);
  });
});
