// The shared CLI convention: parse by an option table, --help text, `killdrill: …; …` errors, exit 2.
import { describe, expect, it } from 'vitest';
import { parseCommand, parseOrExit, synopsis, usage, UsageError, type CommandSpec } from './cli.ts';

const spec: CommandSpec = {
  name: 'killdrill demo',
  positionals: '<file>…',
  summary: 'a demo command',
  options: {
    seed: { type: 'string', value: 'N', help: 'the seed' },
    tag: { type: 'string', value: 'T', multiple: true, help: 'a tag' },
    json: { type: 'boolean', help: 'print JSON' },
  },
};
const none: CommandSpec = { name: 'killdrill bare', summary: 'no positionals', options: { port: { type: 'string', value: 'P', help: 'port' } } };

function fails(s: CommandSpec, argv: string[]): string {
  try {
    parseCommand(s, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCommand', () => {
  it('positionals, --opt value, --opt=value, switches, repeatable options, and -- ending the options', () => {
    expect(parseCommand(spec, ['a', '--seed', '7', 'b', '--json', '--tag=x=1,y', '--tag', 'z', '--', '--c'])).toEqual({
      help: false,
      positionals: ['a', 'b', '--c'],
      values: { seed: '7', json: true, tag: ['x=1,y', 'z'] },
    });
    expect(parseCommand(spec, ['--seed=-3']).values.seed).toBe('-3');
  });

  it('--help and -h win over everything else, even a bad option', () => {
    expect(parseCommand(spec, ['--nope', '--help']).help).toBe(true);
    expect(parseCommand(none, ['-h']).help).toBe(true);
  });

  it('every mistake is a UsageError saying what is wrong and what to do', () => {
    expect(fails(spec, ['--speed', '1'])).toBe("killdrill: unknown option '--speed'; known: --seed, --tag, --json (run 'killdrill demo --help' for its options)");
    expect(fails(spec, ['-x'])).toMatch(/^killdrill: unknown option '-x'; /);
    expect(fails(spec, ['--seed'])).toBe("killdrill: option '--seed' needs a value; give it as --seed N");
    expect(fails(spec, ['--seed', '--json'])).toMatch(/option '--seed' needs a value/);
    expect(fails(spec, ['--json=yes'])).toBe("killdrill: option '--json' takes no value; give it alone, as --json");
    expect(fails(spec, ['--seed', '1', '--seed=2'])).toBe("killdrill: option '--seed' given twice; give it once");
    expect(fails(spec, ['--json', '--json'])).toMatch(/'--json' given twice/);
    expect(fails(none, ['stray'])).toBe("killdrill: unexpected argument 'stray'; killdrill bare takes options only (run 'killdrill bare --help' for its options)");
    expect(fails({ ...none, options: {} }, ['--x'])).toMatch(/killdrill bare takes no options/);
  });
});

describe('usage and parseOrExit', () => {
  it('the help lists every option with its value and help line, and -h/--help', () => {
    const text = usage(spec);
    expect(text.split('\n')[0]).toBe('usage: killdrill demo <file>… [options]');
    for (const l of ['--seed N', '--tag T …', '--json', '-h, --help', 'the seed', 'print JSON']) expect(text).toContain(l);
    expect(synopsis(spec)).toBe('killdrill demo <file>… [--seed N] [--tag T]… [--json]');
  });

  it('prints the help and returns 0; prints the error and returns 2', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(parseOrExit(spec, ['--help'], io)).toBe(0);
    expect(out[0]).toContain('usage: killdrill demo');
    expect(parseOrExit(spec, ['--bad'], io)).toBe(2);
    expect(err[0]).toMatch(/^killdrill: unknown option '--bad'/);
    expect(parseOrExit(spec, ['f', '--seed', '1'], io)).toEqual({ help: false, positionals: ['f'], values: { seed: '1' } });
  });
});
