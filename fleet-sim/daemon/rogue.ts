// The rogue-bot fault's switch (docs/contracts.md §8): while `<dataDir>/control/<host>.<daemon>.rogue`
// exists, that daemon's bots ignore their kill state — their load ticks in every phase, and only
// the execution boundary stands between them and the venue. The control API writes or removes
// the file and sends the daemon SIGUSR2; a daemon started while the file exists starts rogue.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function rogueFile(dataDir: string, host: string, daemon: string): string {
  return join(dataDir, 'control', `${host}.${daemon}.rogue`);
}

export function setRogue(dataDir: string, host: string, daemon: string, on: boolean): string {
  const f = rogueFile(dataDir, host, daemon);
  if (on) {
    mkdirSync(join(dataDir, 'control'), { recursive: true });
    writeFileSync(f, `${new Date().toISOString()}\n`);
  } else rmSync(f, { force: true });
  return f;
}
