// The gateway's shutdown-gate records (docs/contracts.md §6): `<dataDir>/journal/gateway.jsonl`,
// beside the daemons' journals, so the broker's GET /journal serves them to the harness. Each
// line is on disk when `write` returns (appendFileSync): a record survives the exit right after it.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalShutdown } from '../../contracts/index.ts';

export type GatewayShutdownRecord = Omit<JournalShutdown, 'type' | 'component' | 'host' | 'daemon'>;

export function gatewayShutdownJournal(dataDir: string): (rec: GatewayShutdownRecord) => void {
  const dir = join(dataDir, 'journal');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'gateway.jsonl');
  return (rec) => {
    const line: JournalShutdown = { type: 'shutdown', component: 'gateway', host: 'gateway', daemon: 'gateway', ...rec };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
}
