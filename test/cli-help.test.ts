// `killdrill --help` and every command's --help (the real command, as a user types it) exit 0 and
// list every option; the README's command list names exactly the options each --help lists.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandSpecs } from '../cli/command-specs.ts';
import { optionNames } from '../lib/cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'cli', 'main.ts');

/** The README's `- \`npx killdrill <command> …\`` lines: command → the --options they name. */
function readmeOptions(readme: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of readme.matchAll(/^- `npx (killdrill (?:sim [a-z]+|[a-z]+))([^`]*)`/gm)) out.set(m[1], [...new Set(m[2].match(/--[a-z][a-z0-9-]*/g) ?? [])]);
  return out;
}

/** The options a --help text lists (its `  --name …` lines), without --help itself. */
function helpOptions(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]).filter((o) => o !== '--help');
}

/** What differs between the README's options of a command and its --help's, as sentences ([] when they agree). */
function optionDiff(command: string, readme: string[] | undefined, help: string[]): string[] {
  if (!readme) return [`README.md lists no '- \`npx ${command} …\`' line`];
  return [
    ...help.filter((o) => !readme.includes(o)).map((o) => `${command} --help lists ${o}, README.md does not`),
    ...readme.filter((o) => !help.includes(o)).map((o) => `README.md lists ${o} for ${command}, its --help does not`),
  ];
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('--help of every command', async () => {
  const specs = await commandSpecs();
  const readme = readmeOptions(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('killdrill --help lists every command with every option; exit 0 (no command: exit 2)', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const s of specs) {
      expect(r.stdout).toContain(s.name);
      for (const o of optionNames(s)) expect(r.stdout).toContain(`[${o}`);
    }
    const bare = cli([]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('usage: killdrill <command>');
  });

  for (const spec of specs) {
    it(`${spec.name} --help lists every option, exit 0, and agrees with the README`, () => {
      const r = cli([...spec.name.split(' ').slice(1), '--help']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^usage: ${spec.name} `));
      expect(helpOptions(r.stdout).sort()).toEqual(optionNames(spec).sort());
      expect(optionDiff(spec.name, readme.get(spec.name), helpOptions(r.stdout))).toEqual([]);
    });
  }

  it('the README check fails on a missing, an extra or an absent command line', () => {
    const text = '- `npx killdrill run <f>… [--seed N] [--extra X]` — run\n';
    const m = readmeOptions(text);
    expect(m.get('killdrill run')).toEqual(['--seed', '--extra']);
    expect(optionDiff('killdrill run', m.get('killdrill run'), ['--seed', '--jobs'])).toEqual([
      'killdrill run --help lists --jobs, README.md does not',
      'README.md lists --extra for killdrill run, its --help does not',
    ]);
    expect(optionDiff('killdrill proxy', m.get('killdrill proxy'), ['--port'])).toEqual(["README.md lists no '- `npx killdrill proxy …`' line"]);
    expect(helpOptions('options:\n  --seed N   s\n  -h, --help  h\n')).toEqual(['--seed']);
  });

  it('an unknown option of any command exits 2 with a killdrill: message naming it', () => {
    for (const spec of specs) {
      const r = cli([...spec.name.split(' ').slice(1), '--no-such-option']);
      expect(r.status, spec.name).toBe(2);
      expect(r.stderr).toMatch(/^killdrill: unknown option '--no-such-option'; /);
    }
  });
});
