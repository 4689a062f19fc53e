// `<dataDir>/pids.json`: every process this run started (mode 0600), rewritten as pids appear.
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs } from '../clock.ts';

export interface PidEntry {
  name: string;
  kind: string;
  host?: string;
  pid: number;
  at: number;
}

export class PidRegistry {
  private readonly file: string;
  private readonly runId: string;
  private readonly entries: PidEntry[] = [];
  private readonly seen = new Set<number>();

  constructor(dataDir: string, runId: string) {
    this.file = join(dataDir, 'pids.json');
    this.runId = runId;
  }

  add(e: Omit<PidEntry, 'at'>): void {
    if (this.seen.has(e.pid)) return;
    this.seen.add(e.pid);
    this.entries.push({ ...e, at: nowMs() });
    this.write();
  }

  private write(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ runId: this.runId, ownerPid: process.pid, processes: this.entries }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
