// What a runtime hands the runner: the fleet's observable interface (docs/contracts.md §8).
import type { Reaped } from '../../contracts/index.ts';

export interface FleetEndpoints {
  runId: string;
  /** What `sim up` reaped of dead runs before it started (contracts/owner.ts). */
  reaped?: Reaped;
  preset: string;
  redisUrl: string;
  brokerUrl: string;
  venueUrl: string;
  token: string;
  releaseToken: string;
  controlUrl: string;
  hosts: Record<string, string>;
  dataDir: string;
  /** Seed 003's EXECUTION_HALTED file every daemon watches (the file lever writes it). */
  haltFile?: string;
  kubeconfig?: string;
  /** The fault proxy's Toxiproxy API (docs/contracts.md §12). */
  proxyUrl?: string;
  /** `process` or `docker` (sim up --runtime). */
  runtime?: string;
  /** The docker runtime's per-run bridge network (absent with host networking or the process runtime). */
  network?: string;
  /** Preset agents: each agent worker's control API (GET /calls, /tasks, /queue), by worker name. */
  agents?: Record<string, string>;
}

export interface FleetRequest {
  preset: string;
  bots?: number;
  bugs?: string[];
  /** Further FleetConfig fields (pollIntervalS, gatewayCheck, defaultMode, classes). */
  overrides?: Record<string, unknown>;
  runId: string;
  /** Where the fleet keeps its data (sqlite, journals, ledger). */
  dataDir: string;
  /** Fleets started side by side (`run --jobs`) each take their own block `index` of `of` of the port range. */
  portBlock?: { index: number; of: number };
}

/** One thing the runner reads over the wire: a full URL and the token it wants, if any. */
export interface WireSource {
  url: string;
  token?: string;
}

/** Full URLs of what the runner reads, when they are not the simulator's shapes (an external target names them itself). */
export interface WireReads {
  /** GET: the bot list (slug, host, daemon, fleet, class, …). */
  bots: WireSource;
  /** GET ?after=SEQ: the effect ledger of a venue or drop-copy. */
  ledger: WireSource;
  /** GET ?after=CURSOR: the bots' journal (docs/contracts.md §3). */
  journal: WireSource;
  /** The venue's base URL for GET /orders?open=1 and GET /positions; absent: the venue's own book cannot be read. */
  venue?: WireSource;
}

/**
 * What the runner reaches a target by: a simulated fleet's FleetEndpoints, or what an external
 * target file names (harness/target/external-runtime.ts). What an external target does not have is absent, never invented:
 * no control API, no disk of its own, maybe no broker, no hosts' daemons unless the file names their supervisors.
 */
export interface TargetEndpoints {
  runId?: string;
  preset?: string;
  /** The flag store (with its password in the URL when the target names one). */
  redisUrl: string;
  brokerUrl?: string;
  token?: string;
  releaseToken?: string;
  venueUrl?: string;
  controlUrl?: string;
  hosts: Record<string, string>;
  /** The hosts' supervisors' token, when it is not `token` (an external target's hosts.tokenEnv). */
  hostsToken?: string;
  dataDir?: string;
  /** Seed 003's EXECUTION_HALTED file every daemon watches (a simulated fleet's; the file lever writes it). */
  haltFile?: string;
  kubeconfig?: string;
  /** The kubeconfig context to use (default: the file's current-context). */
  kubeContext?: string;
  /** Where the KillSwitch resources live (default: the simulator's namespace). */
  kubeNamespace?: string;
  proxyUrl?: string;
  runtime?: string;
  network?: string;
  reads?: WireReads;
  /** Agent workers' control APIs by worker name (preset agents). */
  agents?: Record<string, string>;
  /** Set for an external target: killdrill did not start it, never stops it and never reads its disk. */
  external?: { name: string; environment: string };
}

export interface FleetHandle<E extends TargetEndpoints = FleetEndpoints> {
  endpoints: E;
  /** The fleet process exited on its own (crash): the reason, else null. */
  exited(): string | null;
  stop(): Promise<void>;
}

export interface Runtime<E extends TargetEndpoints = FleetEndpoints> {
  name: string;
  start(req: FleetRequest, signal?: AbortSignal): Promise<FleetHandle<E>>;
}

/** Any runtime the runner can drive: a simulator's or an external target's. */
export type AnyRuntime = Runtime<TargetEndpoints>;

/** The fleet or the infrastructure could not start or broke: exit code 3, outcome `errored`. */
export class InfraError extends Error {
  override name = 'InfraError';
}
