// The import rules of .dependency-cruiser.cjs (run on the real tree by `npm run depcruise` in
// `npm test`) fire: dependency-cruiser, with that very config, over a small tree that breaks each
// rule once and keeps to it elsewhere (contracts imported from harness, a listed exception used as
// listed). Every violation it must report, and nothing else.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

const FILES: Record<string, string> = {
  'contracts/index.ts': 'export const X = 1;\n',
  'contracts/bad.ts': "import { y } from '../harness/ok.ts';\nexport const b = y;\n",
  'fleet-sim/index.ts': 'export const simMain = () => 0;\n',
  'fleet-sim/model.ts': "export const BUGS = ['fail-open'];\n",
  'fleet-sim/presets/index.ts': 'export const topologyFor = () => 1;\n',
  'fleet-sim/bad.ts': "import { y } from '../harness/ok.ts';\nexport const f = y;\n",
  'harness/ok.ts': "import { X } from '../contracts/index.ts';\nexport const y = X;\n",
  'harness/runner/bad.ts': "import type { BUGS } from '../../fleet-sim/model.ts';\nexport type B = typeof BUGS;\n",
  'fleet-sim/sim-up-spec.ts': 'export const simUpSpec = 1;\n',
  // The command (the composition root) may import every part; no part may import it back.
  'cli/main.ts': "import { simMain } from '../fleet-sim/index.ts';\nimport { topologyFor } from '../fleet-sim/presets/index.ts';\nimport { y } from '../harness/ok.ts';\nexport const r = [simMain, topologyFor, y];\n",
  'harness/cli/run-command.ts': "import { r } from '../../cli/main.ts';\nexport const c = r;\n",
  // What was the last exception (the load-time component list) is none now.
  'fleet-sim/planned-components.ts': 'export const plannedComponents = () => [];\n',
  'harness/faults/static-check.ts': "import { plannedComponents } from '../../fleet-sim/planned-components.ts';\nexport const s = plannedComponents;\n",
  'harness/scenario/schema.ts': "import { BUGS } from '../../fleet-sim/model.ts';\nexport const s = BUGS;\n",
  'harness/history/recorder.ts': "import { topologyFor } from '../../fleet-sim/presets/index.ts';\nexport const w = topologyFor;\n",
  'harness/checkers/via-recorder.ts': "import { w } from '../history/recorder.ts';\nexport const c = w;\n",
  'harness/checkers/direct.ts': "const m = await import('../../fleet-sim/model.ts');\nexport const d = m;\n",
  'harness/cycle-a.ts': "import { b } from './cycle-b.ts';\nexport const a = () => b;\n",
  'harness/cycle-b.ts': "import { a } from './cycle-a.ts';\nexport const b = () => a;\n",
  'harness/typo.ts': "import { X } from '../contracts/indx.ts';\nexport const t = X;\n",
  'lib/ports.ts': 'export const freePort = () => 1;\n',
  'lib/bad.ts': "import { X } from '../contracts/index.ts';\nimport { freePort } from './ports.ts';\nexport const l = [X, freePort];\n",
  'fleet-sim/uses-lib.ts': "import { freePort } from '../lib/ports.ts';\nexport const u = freePort;\n",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

describe('the import rules (.dependency-cruiser.cjs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'killdrill-import-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('report every rule broken in a fixture tree, and nothing kept to', { timeout: 60_000 }, () => {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    const depcruise = (...extra: string[]) =>
      spawnSync(process.execPath, [DEPCRUISE, 'cli', 'harness', 'fleet-sim', 'contracts', 'lib', '--config', '.dependency-cruiser.cjs', ...extra], { cwd: dir, encoding: 'utf8' });
    // As `npm run depcruise` runs it: the errors named, and a failing exit status, so `npm test` stops.
    const plain = depcruise();
    expect(plain.status, plain.stdout + plain.stderr).not.toBe(0);
    expect(plain.stdout).toMatch(/error harness-not-to-fleet-sim: harness\/runner\/bad\.ts → fleet-sim\/model\.ts/);
    const run = depcruise('--output-type', 'json');
    expect(run.stdout, run.stderr).toMatch(/^\{/);
    const got = ((JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations)
      .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
      .sort();
    expect(got).toEqual(
      [
        'contracts-self-contained: contracts/bad.ts → harness/ok.ts',
        // lib/ may import lib/, and anyone may import lib/.
        'lib-self-contained: lib/bad.ts → contracts/index.ts',
        'fleet-sim-not-to-harness: fleet-sim/bad.ts → harness/ok.ts',
        'harness-not-to-fleet-sim: harness/runner/bad.ts → fleet-sim/model.ts',
        'harness-not-to-fleet-sim: harness/history/recorder.ts → fleet-sim/presets/index.ts',
        'harness-not-to-fleet-sim: harness/checkers/direct.ts → fleet-sim/model.ts',
        'harness-not-to-fleet-sim: harness/faults/static-check.ts → fleet-sim/planned-components.ts',
        'cli-is-the-root: harness/cli/run-command.ts → cli/main.ts',
        // The bug names are the contract's now (contracts/bugs.ts): no exception for the schema.
        'harness-not-to-fleet-sim: harness/scenario/schema.ts → fleet-sim/model.ts',
        'checkers-not-to-fleet-sim: harness/checkers/direct.ts → fleet-sim/model.ts',
        'checkers-not-reaching-fleet-sim: harness/checkers/direct.ts → fleet-sim/model.ts',
        'checkers-not-reaching-fleet-sim: harness/checkers/via-recorder.ts → fleet-sim/presets/index.ts',
        // A cycle is reported once.
        'no-circular: harness/cycle-a.ts → harness/cycle-b.ts',
        'not-to-unresolvable: harness/typo.ts → ../contracts/indx.ts',
      ].sort(),
    );
  });
});
