// Tiny argv parser for the subcommands: positionals and `--flag value` / `--flag=value`.
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string>;
}

/** `known`: options that take a value; `switches`: options that take none (then flags[name] is 'true'). */
export function parseArgs(argv: string[], known: string[], switches: string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (switches.includes(name)) {
      if (eq >= 0) throw new UsageError(`killdrill: option '--${name}' takes no value`);
      if (name in flags) throw new UsageError(`killdrill: option '--${name}' given twice; give it once`);
      flags[name] = 'true';
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`killdrill: unknown option '--${name}'; known: ${[...known, ...switches].map((k) => '--' + k).join(', ')}`);
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`killdrill: option '--${name}' needs a value`);
    if (name in flags) throw new UsageError(`killdrill: option '--${name}' given twice; give it once`);
    flags[name] = value;
  }
  return { positionals, flags };
}
