// The gateway's journal (docs/contracts.md §6): `<dataDir>/journal/gateway.jsonl`, beside the
// daemons' journals, so the broker's GET /journal serves it to the harness: its shutdown-gate
// records and its consecutive-losses breaker's transitions. Each line is on disk when the write
// returns (appendFileSync): a record survives the exit right after it.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalBreaker, JournalShutdown } from '../../contracts/index.ts';

export type GatewayShutdownRecord = Omit<JournalShutdown, 'type' | 'component' | 'host' | 'daemon'>;
export type GatewayBreakerRecord = Omit<JournalBreaker, 'type' | 'host' | 'daemon' | 'pid'>;

function journalFile(dataDir: string): string {
  const dir = join(dataDir, 'journal');
  mkdirSync(dir, { recursive: true });
  return join(dir, 'gateway.jsonl');
}

export function gatewayShutdownJournal(dataDir: string): (rec: GatewayShutdownRecord) => void {
  const file = journalFile(dataDir);
  return (rec) => {
    const line: JournalShutdown = { type: 'shutdown', component: 'gateway', host: 'gateway', daemon: 'gateway', ...rec };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
}

export function gatewayBreakerJournal(dataDir: string): (rec: GatewayBreakerRecord) => void {
  const file = journalFile(dataDir);
  return (rec) => {
    const line: JournalBreaker = { type: 'breaker', ...rec, host: 'gateway', daemon: 'gateway', pid: process.pid };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
}
