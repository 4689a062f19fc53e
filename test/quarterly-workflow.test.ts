// The scheduled drill (.github/workflows/quarterly-drill.yml, docs/scheduled-drills.md): every killdrill
// command it runs names a command and options that exist, so the workflow cannot drift from the CLI.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { commandSpecs } from '../cli/command-specs.ts';

const ROOT = join(import.meta.dirname, '..');
const FILE = join(ROOT, '.github/workflows/quarterly-drill.yml');

interface Step { run?: string }
const workflow = parse(readFileSync(FILE, 'utf8')) as { on: { schedule: Array<{ cron: string }>; workflow_dispatch: unknown }; jobs: { drill: { environment: string; steps: Step[] } } };

describe('the quarterly drill workflow', () => {
  it('runs on a quarterly schedule and on demand, in a protected environment', () => {
    expect(workflow.on.schedule.map((s) => s.cron)).toEqual([expect.stringMatching(/^\S+ \S+ \S+ 1,4,7,10 \*$/)]);
    expect(workflow.on.workflow_dispatch).toBeDefined();
    expect(workflow.jobs.drill.environment).toBe('staging-drill');
  });

  it('every `npx killdrill <command> --option` it runs exists in that command', async () => {
    const specs = new Map((await commandSpecs()).map((s) => [s.name.replace(/^killdrill /, ''), s]));
    const calls = workflow.jobs.drill.steps.flatMap((s) => (s.run ?? '').split('\n')).join('\n').match(/npx killdrill [^\n]*/g) ?? [];
    // The drill's argument array (args=(…) then args+=(…)) belongs to `killdrill run "${args[@]}"`.
    const arrays = workflow.jobs.drill.steps.flatMap((s) => [...(s.run ?? '').matchAll(/args\+?=\(([^)]*)\)/g)].map((m) => m[1]));
    expect(calls.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    for (const call of [...calls, ...arrays.map((a) => `npx killdrill run ${a}`)]) {
      const [, , command, ...rest] = call.split(/\s+/);
      const spec = specs.get(command);
      expect(spec, `${call}: no command '${command}'`).toBeDefined();
      for (const opt of rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2).replace(/=.*/, ''))) {
        expect(Object.keys(spec!.options), `${call}: killdrill ${command} has no --${opt}`).toContain(opt);
        seen.push(opt);
      }
    }
    // The safety levers the drill relies on are really used.
    expect(seen).toEqual(expect.arrayContaining(['target', 'dry-run', 'confirm', 'jobs', 'junit', 'out']));
  });
});
