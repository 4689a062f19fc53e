// Halt state (level, incident, what the levels stopped, keys they set). Persisted in sqlite
// before the broker acts, so a restart rebuilds it — except with the `halt-state-in-memory`
// bug, where it lives only in this process and a restart forgets it (seed 002, bug two).
import type { BrokerDb } from './broker-db.ts';

export interface Incident {
  id: string;
  level: number;
  openedAt: number;
  reason: string;
}

export interface StoppedDaemon {
  host: string;
  daemon: string;
  /** The host whose supervisor the stop was sent to (differs with `wrong-host-stop`). */
  sentTo: string;
  ok: boolean;
}

export interface HaltState {
  level: number;
  incident: Incident | null;
  stopped: StoppedDaemon[];
  /** Kill keys the levels engaged (resume deletes them). */
  keys: string[];
}

export function emptyState(): HaltState {
  return { level: 0, incident: null, stopped: [], keys: [] };
}

export interface HaltStateStore {
  readonly durable: boolean;
  get(): HaltState;
  set(state: HaltState): void;
}

export class SqliteHaltState implements HaltStateStore {
  readonly durable = true;
  private state: HaltState;
  private readonly db: BrokerDb;

  constructor(db: BrokerDb) {
    this.db = db;
    const raw = db.loadState();
    this.state = raw ? { ...emptyState(), ...(JSON.parse(raw) as HaltState) } : emptyState();
  }

  get(): HaltState {
    return structuredClone(this.state);
  }

  set(state: HaltState): void {
    this.db.saveState(JSON.stringify(state));
    this.state = structuredClone(state);
  }
}

/** The `halt-state-in-memory` bug: nothing is written, a restart starts from level 0. */
export class MemoryHaltState implements HaltStateStore {
  readonly durable = false;
  private state = emptyState();

  get(): HaltState {
    return structuredClone(this.state);
  }

  set(state: HaltState): void {
    this.state = structuredClone(state);
  }
}
