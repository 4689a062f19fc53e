// The broker's sqlite file (`<dataDir>/broker.sqlite`, node:sqlite): the audit log (always)
// and the halt state row (unless the `halt-state-in-memory` bug keeps it in memory).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export class BrokerDb {
  readonly path: string;
  readonly db: DatabaseSync;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'broker.sqlite');
    try {
      this.db = new DatabaseSync(this.path);
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS audit (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          at REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS halt_state (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);`);
    } catch (e) {
      throw new Error(`killdrill: broker cannot open its database ${this.path}: ${e instanceof Error ? e.message : String(e)}; check that dataDir is writable and not used by another broker`);
    }
  }

  audit(at: number, actor: string, action: string, detail: Record<string, unknown>): AuditEntry {
    const r = this.db.prepare('INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)').run(at, actor, action, JSON.stringify(detail));
    return { seq: Number(r.lastInsertRowid), at, actor, action, detail };
  }

  auditAfter(after: number, limit: number): { entries: AuditEntry[]; next: number } {
    const rows = this.db.prepare('SELECT seq, at, actor, action, detail FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit) as Array<{
      seq: number;
      at: number;
      actor: string;
      action: string;
      detail: string;
    }>;
    const entries = rows.map((r) => ({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    return { entries, next: entries.length ? entries[entries.length - 1].seq : after };
  }

  loadState(): string | null {
    const row = this.db.prepare('SELECT state FROM halt_state WHERE id = 1').get() as { state: string } | undefined;
    return row ? row.state : null;
  }

  saveState(json: string): void {
    this.db.prepare('INSERT INTO halt_state (id, state) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state').run(json);
  }

  close(): void {
    try {
      this.db.close();
    } catch {
      // already closed
    }
  }
}
