// One CLI convention for every killdrill command: an option table → node:util parseArgs,
// `--help` text, and errors in the style `killdrill: <what is wrong>; <what to do>` (exit 2).
import { parseArgs } from 'node:util';

/** Exit code of invalid input (harness/cli/exit-codes.ts EXIT.invalid). */
export const USAGE_EXIT = 2;

export interface OptionSpec {
  /** 'string' takes a value, 'boolean' is a switch. */
  type: 'string' | 'boolean';
  /** How the value is named in the help, e.g. 'N' or 'FILE'. */
  value?: string;
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** One line of help; say the default here. */
  help: string;
}

export interface CommandSpec {
  /** The command as typed, e.g. 'killdrill run'. */
  name: string;
  /** What the positionals are, e.g. '<file|dir>…'; none allowed when absent. */
  positionals?: string;
  /** One line: what the command does. */
  summary: string;
  options: Record<string, OptionSpec>;
  /** Lines after the options (exit codes, examples). */
  epilogue?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  /** `--help` or `-h` was given: print usage(spec) and exit 0. */
  help: boolean;
  positionals: string[];
  values: Values;
}

function optionLabel(name: string, o: OptionSpec): string {
  return `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
}

/** The --help text: synopsis, summary, every option with its help line. */
export function usage(spec: CommandSpec): string {
  const rows: Array<[string, string]> = Object.entries(spec.options).map(([n, o]) => [optionLabel(n, o) + (o.multiple ? ' …' : ''), o.help]);
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  const lines = [
    `usage: ${spec.name}${spec.positionals ? ` ${spec.positionals}` : ''} [options]`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([l, h]) => `  ${l.padEnd(width)}${h}`),
  ];
  if (spec.epilogue) lines.push('', spec.epilogue);
  return lines.join('\n');
}

/** One line: the command with every option, e.g. `killdrill run <file|dir>… [--seed N] [--json]`. */
export function synopsis(spec: CommandSpec): string {
  const opts = Object.entries(spec.options).map(([n, o]) => `[${optionLabel(n, o)}]${o.multiple ? '…' : ''}`);
  return [spec.name, ...(spec.positionals ? [spec.positionals] : []), ...opts].join(' ');
}

/** The options of a spec as `--name` strings (for the README check). */
export function optionNames(spec: CommandSpec): string[] {
  return Object.keys(spec.options).map((n) => `--${n}`);
}

/**
 * Parse argv by the spec. Throws UsageError (message `killdrill: …; …`) for an unknown option,
 * a missing value, a value given to a switch, an option given twice (unless `multiple`), or a
 * positional where the command takes none. `--` ends the options.
 */
export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  const see = `run '${spec.name} --help' for its options`;
  const options = Object.fromEntries(Object.entries(spec.options).map(([n, o]) => [n, { type: o.type, multiple: o.multiple ?? false }]));
  // strict: false so that every mistake gets our own message (checked token by token below).
  const { tokens } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true, positionals: [], values: {} };
  const values: Values = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      if (!spec.positionals) throw new UsageError(`killdrill: unexpected argument '${t.value}'; ${spec.name} takes options only (${see})`);
      positionals.push(t.value);
      continue;
    }
    const o = spec.options[t.name];
    if (!o || t.rawName !== `--${t.name}`) {
      const known = optionNames(spec);
      throw new UsageError(`killdrill: unknown option '${t.rawName}'; ${known.length ? `known: ${known.join(', ')}` : `${spec.name} takes no options`} (${see})`);
    }
    if (o.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`killdrill: option '--${t.name}' takes no value; give it alone, as --${t.name}`);
      if (t.name in values) throw new UsageError(`killdrill: option '--${t.name}' given twice; give it once`);
      values[t.name] = true;
      continue;
    }
    // A value taken from the next argument may not look like an option (`--seed --jobs 2`).
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) throw new UsageError(`killdrill: option '--${t.name}' needs a value; give it as ${optionLabel(t.name, o)}`);
    if (o.multiple) ((values[t.name] ??= []) as string[]).push(t.value);
    else if (t.name in values) throw new UsageError(`killdrill: option '--${t.name}' given twice; give it once`);
    else values[t.name] = t.value;
  }
  return { help: false, positionals, values };
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const stdio: CliIo = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

/**
 * parseCommand for a command's main: on --help prints the usage and returns 0, on a usage error
 * prints the message and returns 2; otherwise returns the parse.
 */
export function parseOrExit(spec: CommandSpec, argv: string[], io: CliIo = stdio): Parsed | number {
  try {
    const p = parseCommand(spec, argv);
    if (p.help) {
      io.out(usage(spec));
      return 0;
    }
    return p;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(err.message);
    return USAGE_EXIT;
  }
}
